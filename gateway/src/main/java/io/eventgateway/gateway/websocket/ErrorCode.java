package io.eventgateway.gateway.websocket;

/** The {@code code} of an {@code error} message. */
public enum ErrorCode {

	BAD_REQUEST("bad_request"), UNAUTHORIZED("unauthorized"), FORBIDDEN("forbidden"), RATE_LIMITED("rate_limited"),
	TOO_LARGE("too_large"), UNAVAILABLE("unavailable"), INTERNAL("internal");

	private final String wire;

	ErrorCode(String wire) {
		this.wire = wire;
	}

	public String wire() {
		return this.wire;
	}

}
