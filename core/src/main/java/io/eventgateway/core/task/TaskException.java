package io.eventgateway.core.task;

/** A task request the store refused for what it asked, not because the store failed. */
public abstract class TaskException extends RuntimeException {

	protected TaskException(String message) {
		super(message, null, false, false);
	}

}
