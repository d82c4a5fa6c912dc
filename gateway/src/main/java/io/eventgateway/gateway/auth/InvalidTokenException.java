package io.eventgateway.gateway.auth;

/** A bearer token that is missing, malformed, badly signed, expired or lacks a required claim. */
public class InvalidTokenException extends RuntimeException {

	public InvalidTokenException(String message) {
		super(message, null, false, false);
	}

}
