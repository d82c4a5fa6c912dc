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

	/**
	 * Events that did not reach a client or were not accepted; tag {@code reason} =
	 * volatile_shed|slow_consumer_close|rate_limited (see {@link EventDrops}).
	 */
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

	/** WebSocket connections opened (handshakes upgraded). */
	public static final String CONNECTIONS_OPENED = "gateway.connections.opened";

	/** Connections ended; tags {@code code} (a fixed set of close codes) and {@code initiator} = server|client|none. */
	public static final String CONNECTIONS_ENDED = "gateway.connections.ended";

	/** The most WebSocket connections this instance admits (gauge). */
	public static final String CONNECTIONS_LIMIT = "gateway.connections.limit";

	/** Connections whose socket is not writable now (gauge). */
	public static final String CONNECTIONS_UNWRITABLE = "gateway.connections.unwritable";

	/** Time connections spent with an unwritable socket, summed over connections (seconds). */
	public static final String UNWRITABLE_TIME = "gateway.unwritable";

	/** Time from an event's {@code ts} to the write of the frame that carries it, once per frame. */
	public static final String FANOUT = "gateway.fanout";

	/** Messages queued for a connection, sampled over every open connection. */
	public static final String OUTBOUND_QUEUE_MESSAGES = "gateway.outbound.queue.messages";

	/** Bytes queued for a connection, sampled over every open connection. */
	public static final String OUTBOUND_QUEUE_BYTES = "gateway.outbound.queue.bytes";

	/** Durable publishes waiting in a lane for the store (gauge); tag {@code lane} = 0..gateway.publish.lanes-1. */
	public static final String PUBLISH_BACKLOG = "gateway.publish.backlog";

	/** Time one batch of durable publishes took to be stored. */
	public static final String STORE_BATCH = "gateway.store.batch";

	/** Events in one batch of durable publishes stored at once. */
	public static final String STORE_BATCH_EVENTS = "gateway.store.batch.events";

	/** Connections of the store's pool; tag {@code state} = acquired|idle (gauge). */
	public static final String STORE_POOL_CONNECTIONS = "gateway.store.pool.connections";

	/** Callers waiting for a connection of the store's pool (gauge). */
	public static final String STORE_POOL_PENDING = "gateway.store.pool.pending";

	/** The most connections the store's pool opens (gauge). */
	public static final String STORE_POOL_MAX = "gateway.store.pool.max";

	/** Redis pub/sub messages received from other instances. */
	public static final String BROKER_MESSAGES_RECEIVED = "gateway.broker.messages.received";

	/** Redis pub/sub messages published (one per room of a batch). */
	public static final String BROKER_MESSAGES_PUBLISHED = "gateway.broker.messages.published";

	/** Reconnections to Redis, after which the channels are resubscribed and every room catches up. */
	public static final String BROKER_RESUBSCRIBES = "gateway.broker.resubscribes";

	/** Store reads that filled a gap in a room's seq (a message Redis lost or reordered). */
	public static final String BROKER_GAP_FILLS = "gateway.broker.gap.fills";

	/** Store calls of catch-ups (after a reconnection, and the periodic safety net). */
	public static final String BROKER_CATCH_UP_READS = "gateway.broker.catch.up.reads";

	/** Events replayed to members rejoining with {@code since}. */
	public static final String REPLAYED_EVENTS = "gateway.replayed.events";

	/** Joins with {@code since} answered {@code recovered:false}: the client must reload. */
	public static final String JOINS_UNRECOVERED = "gateway.joins.unrecovered";

	/** 1 while this instance accepts traffic (its readiness state), 0 while it refuses it, as when draining (gauge). */
	public static final String READY = "gateway.ready";

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
			Map.entry(EVENTS_DROPPED, "Events not delivered to a client or not accepted from one, by reason (volatile_shed, slow_consumer_close, rate_limited)"),
			Map.entry(CONNECTIONS_OPENED, "WebSocket connections opened"),
			Map.entry(CONNECTIONS_ENDED, "WebSocket connections ended, by close code and by who closed (server, client, or none when the transport was lost)"),
			Map.entry(CONNECTIONS_LIMIT, "The most WebSocket connections this instance admits (gateway.ws.max-connections)"),
			Map.entry(CONNECTIONS_UNWRITABLE, "WebSocket connections whose socket is not writable now (write buffer past its high water mark)"),
			Map.entry(UNWRITABLE_TIME, "Time WebSocket connections spent unwritable, summed over connections, counted when a connection becomes writable again or closes"),
			Map.entry(FANOUT, "Time from an event's ts to the write of the frame carrying it, measured on the first event of each frame"),
			Map.entry(OUTBOUND_QUEUE_MESSAGES, "Messages queued for one connection, sampled over every open connection at a fixed interval"),
			Map.entry(OUTBOUND_QUEUE_BYTES, "Bytes queued for one connection, sampled over every open connection at a fixed interval"),
			Map.entry(ERRORS, "Error replies sent to WebSocket clients, by code"),
			Map.entry(FRAMES_SENT, "Text frames written to WebSocket clients (each may carry several messages)"),
			Map.entry(ROOMS, "Rooms with members on this instance"),
			Map.entry(DELIVERIES, "Events written to WebSocket clients, live and replayed"),
			Map.entry(PUBLISH_ACK, "Time from a WebSocket publish received to its ack sent, by kind"),
			Map.entry(READY, "1 while this instance's readiness state accepts traffic, 0 while it refuses traffic (draining)"),
			Map.entry(PUBLISH_BACKLOG, "Durable publishes waiting in a lane for the store, by lane"),
			Map.entry(STORE_BATCH, "Time one batch of durable publishes took to be stored"),
			Map.entry(STORE_BATCH_EVENTS, "Events in one batch of durable publishes stored at once"),
			Map.entry(STORE_POOL_CONNECTIONS, "Connections of the store's pool, by state (acquired or idle)"),
			Map.entry(STORE_POOL_PENDING, "Callers waiting for a connection of the store's pool"),
			Map.entry(STORE_POOL_MAX, "The most connections the store's pool opens"),
			Map.entry(BROKER_MESSAGES_RECEIVED, "Redis pub/sub messages received from other instances"),
			Map.entry(BROKER_MESSAGES_PUBLISHED, "Redis pub/sub messages published, one per room of a batch"),
			Map.entry(BROKER_RESUBSCRIBES, "Reconnections to Redis, each followed by resubscribing and a catch-up of every room"),
			Map.entry(BROKER_GAP_FILLS, "Store reads that filled a gap in a room's seq (a Redis message lost or overtaken)"),
			Map.entry(BROKER_CATCH_UP_READS, "Store calls made by catch-ups of the tracked rooms (after a reconnection, and periodically)"),
			Map.entry(REPLAYED_EVENTS, "Events replayed to members rejoining with since"),
			Map.entry(JOINS_UNRECOVERED, "Joins with since answered recovered:false (the client must reload the room)"),
			Map.entry(TASK_FILES_APPLIED, "Task file versions applied to the store"),
			Map.entry(TASK_FILES_REFUSED, "Task file versions refused, by reason"),
			Map.entry(TASK_FILE_CHANGES, "Task writes made because a task file changed, by kind"),
			Map.entry(HTTP_RATE_LIMITED, "HTTP requests refused by the rate limit"),
			Map.entry(TASK_READS, "Reads of one task, by cache outcome (hit or miss)"),
			Map.entry("netty.allocator.memory.used", "Memory of Netty's default buffer allocator in use, by memory type (direct or heap)"),
			Map.entry(REDIS_PROBE_FAILURES, "Broker probes an instance sent itself that did not come back in time"),
			Map.entry(REDIS_SUBSCRIBER_RENEWALS, "Redis subscriber connections renewed (and rooms caught up) after a failed probe"),
			Map.entry("http.server.requests", "HTTP requests answered, by method, URI template, status and outcome"),
			Map.entry("http.server.requests.active", "HTTP requests being answered"));

	private GatewayMeters() {
	}

	/** The help text of a meter of the gateway (or of a library that gives none), or {@code null}. */
	public static String describe(String name) {
		return DESCRIPTIONS.get(name);
	}

}
