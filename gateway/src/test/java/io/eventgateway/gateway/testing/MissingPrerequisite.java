package io.eventgateway.gateway.testing;

/**
 * Something a test needs from the machine is not there. Its message says what and how to get it;
 * it has no stack trace, because where the test stood says nothing about a missing install.
 */
public final class MissingPrerequisite extends RuntimeException {

	public MissingPrerequisite(String message) {
		super(message, null, false, false);
	}

}
