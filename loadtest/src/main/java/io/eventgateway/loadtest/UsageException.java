package io.eventgateway.loadtest;

/** A command line the generator cannot run: the process exits with 2 before any traffic is sent. */
public final class UsageException extends RuntimeException {

	public UsageException(String message) {
		super(message);
	}

	public UsageException(String message, Throwable cause) {
		super(message, cause);
	}

}
