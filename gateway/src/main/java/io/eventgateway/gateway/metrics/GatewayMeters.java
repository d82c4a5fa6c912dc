package io.eventgateway.gateway.metrics;

/** Every meter name of the gateway. Tags come from small fixed sets, never a room or a user. */
public final class GatewayMeters {

	/** Open WebSocket connections (gauge). */
	public static final String CONNECTIONS = "gateway.connections";

	/** Handshakes refused before the upgrade; tag {@code reason}. */
	public static final String CONNECTIONS_REFUSED = "gateway.connections.refused";

	/** Connections closed by the server; tag {@code reason}. */
	public static final String CONNECTIONS_CLOSED = "gateway.connections.closed";

	/** Events accepted for publishing; tag {@code kind} = durable|volatile. */
	public static final String EVENTS_PUBLISHED = "gateway.events.published";

	/** Volatile events dropped because a connection's queue was past its volatile share. */
	public static final String EVENTS_DROPPED = "gateway.events.dropped";

	/** Error replies sent; tag {@code code}. */
	public static final String ERRORS = "gateway.errors";

	/** Text frames written to clients (each may carry several messages). */
	public static final String FRAMES_SENT = "gateway.frames.sent";

	/** Rooms with local members (gauge). */
	public static final String ROOMS = "gateway.rooms";

	private GatewayMeters() {
	}

}
