package io.eventgateway.gateway.taskfile;

/** A task file that cannot be applied as it is; the next good version will be. */
public final class TaskFileException extends RuntimeException {

	public TaskFileException(String message) {
		super(message, null, false, false);
	}

}
