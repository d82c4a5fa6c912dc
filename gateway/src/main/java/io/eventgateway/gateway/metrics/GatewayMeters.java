package io.eventgateway.gateway.metrics;

import java.util.Map;

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

	/** Events written to WebSocket clients, live and replayed. */
	public static final String DELIVERIES = "gateway.deliveries";

	/** Time from a publish received to its ack sent; tag {@code kind} = durable|volatile. */
	public static final String PUBLISH_ACK = "gateway.publish.ack";

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

	/** Broker probes that did not come back in time (the subscriber connection delivered nothing). */
	public static final String REDIS_PROBE_FAILURES = "gateway.redis.probe.failures";

	/** Subscriber connections to Redis renewed after a probe did not come back. */
	public static final String REDIS_SUBSCRIBER_RENEWALS = "gateway.redis.subscriber.renewals";

	/** The help text of each meter, shown by the Prometheus exposition. */
	private static final Map<String, String> DESCRIPTIONS = Map.ofEntries(
			Map.entry(CONNECTIONS, "Open WebSocket connections"),
			Map.entry(CONNECTIONS_REFUSED, "Handshakes refused before the upgrade, by reason"),
			Map.entry(CONNECTIONS_CLOSED, "Connections closed by the server, by reason"),
			Map.entry(EVENTS_PUBLISHED, "Events accepted for publishing over WebSocket, by kind (durable or volatile)"),
			Map.entry(EVENTS_DROPPED, "Volatile events dropped for connections whose queue was past its volatile share"),
			Map.entry(ERRORS, "Error replies sent to WebSocket clients, by code"),
			Map.entry(FRAMES_SENT, "Text frames written to WebSocket clients (each may carry several messages)"),
			Map.entry(ROOMS, "Rooms with members on this instance"),
			Map.entry(DELIVERIES, "Events written to WebSocket clients, live and replayed"),
			Map.entry(PUBLISH_ACK, "Time from a WebSocket publish received to its ack sent, by kind"),
			Map.entry(TASK_FILES_APPLIED, "Task file versions applied to the store"),
			Map.entry(TASK_FILES_REFUSED, "Task file versions refused, by reason"),
			Map.entry(TASK_FILE_CHANGES, "Task writes made because a task file changed, by kind"),
			Map.entry(HTTP_RATE_LIMITED, "HTTP requests refused by the rate limit"),
			Map.entry(TASK_READS, "Reads of one task, by cache outcome (hit or miss)"),
			Map.entry(REDIS_PROBE_FAILURES, "Broker probes an instance sent itself that did not come back in time"),
			Map.entry(REDIS_SUBSCRIBER_RENEWALS, "Redis subscriber connections renewed (and rooms caught up) after a failed probe"),
			Map.entry("http.server.requests", "HTTP requests answered, by method, URI template, status and outcome"),
			Map.entry("http.server.requests.active", "HTTP requests being answered"));

	private GatewayMeters() {
	}

	/** The help text of a meter of the gateway (or of the web server), or {@code null}. */
	public static String describe(String name) {
		return DESCRIPTIONS.get(name);
	}

}
