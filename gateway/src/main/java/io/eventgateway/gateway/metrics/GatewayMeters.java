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

	/** Task file versions applied to the store. */
	public static final String TASK_FILES_APPLIED = "gateway.task.files.applied";

	/** Task file versions refused; tag {@code reason} = invalid|vanished|unreadable|failed. */
	public static final String TASK_FILES_REFUSED = "gateway.task.files.refused";

	/** Task writes made because a task file changed; tag {@code kind} = created|updated|deleted. */
	public static final String TASK_FILE_CHANGES = "gateway.task.files.changes";

	/** Requests refused by the HTTP rate limit. */
	public static final String HTTP_RATE_LIMITED = "gateway.http.rate.limited";

	/** Reads of one task; tag {@code cache} = hit|miss. */
	public static final String TASK_READS = "gateway.task.reads";

	private GatewayMeters() {
	}

}
