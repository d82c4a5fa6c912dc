package io.eventgateway.core.task;

/** The writer saw another version than the stored one (a stale {@code If-Match}). */
public final class TaskVersionConflictException extends TaskException {

	public TaskVersionConflictException(String id, long expected, long currentVersion) {
		super("task " + id + " is at version " + currentVersion + ", not " + expected);
	}

}
