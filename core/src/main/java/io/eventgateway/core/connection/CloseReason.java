package io.eventgateway.core.connection;

/** Why the server closes a connection, with the WebSocket close code the contract gives it. */
public enum CloseReason {

	/** The peer went quiet: no traffic and no pong within the idle timeout. */
	IDLE(1001, "idle timeout"),

	/** The client closed, or the transport went away; nothing to send. */
	CLIENT_GONE(1000, "closed"),

	/** The token expired, or the client kept sending bad input. */
	POLICY(1008, "policy violation"),

	TOKEN_EXPIRED(1008, "token expired"),

	TOO_LARGE(1009, "frame too large"),

	INTERNAL(1011, "internal error"),

	/** Graceful shutdown: reconnect to another instance. */
	RESTART(1012, "service restart"),

	/** The client did not keep up with its events: reconnect and recover with since. */
	SLOW_CONSUMER(1013, "slow consumer");

	private final int code;

	private final String text;

	CloseReason(int code, String text) {
		this.code = code;
		this.text = text;
	}

	/**
	 * Whether messages still queued are thrown away: a slow consumer cannot take them, a client that
	 * is gone cannot either. Every other close first sends what was queued (such as the error that
	 * explains the close).
	 */
	public boolean discardsQueued() {
		return this == SLOW_CONSUMER || this == CLIENT_GONE;
	}

	public int code() {
		return this.code;
	}

	public String text() {
		return this.text;
	}

}
