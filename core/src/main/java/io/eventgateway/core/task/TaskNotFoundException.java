package io.eventgateway.core.task;

public final class TaskNotFoundException extends TaskException {

	public TaskNotFoundException(String id) {
		super("no task " + id);
	}

}
