package io.eventgateway.loadtest.chaos;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import io.eventgateway.loadtest.chaos.Observation.Ack;
import io.eventgateway.loadtest.chaos.Observation.Closed;
import io.eventgateway.loadtest.chaos.Observation.Delivery;
import io.eventgateway.loadtest.chaos.Observation.Join;
import io.eventgateway.loadtest.chaos.Observation.Joined;
import io.eventgateway.loadtest.chaos.Observation.Publish;
import io.eventgateway.loadtest.chaos.Observation.Refused;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A subscriber and publisher of one room that behaves as the contract asks a client to: it
 * rejoins with {@code since} and the room's epoch after every close, on whichever instance the
 * picker gives, and sends every unacknowledged publish again with its id until it is acknowledged.
 * Everything it sees goes into the {@link History}. It can stop reading its socket (a slow
 * consumer) and drop it without a close frame (a lost network).
 */
final class ChaosClient {

	/** A publish not acknowledged within this long is sent again, with the same id. */
	private static final Duration RESEND_AFTER = Duration.ofSeconds(2);

	private final String name;

	private final String room;

	private final String token;

	private final HttpClient http;

	private final History history;

	private final ScheduledExecutorService scheduler;

	private final Supplier<URI> target;

	private final Duration reconnectDelay;

	private final DeliveryLatency latency;

	private final String padding;

	private final Map<String, Pending> pending = new LinkedHashMap<>();

	private WebSocket socket;

	private CompletableFuture<?> sends = CompletableFuture.completedFuture(null);

	private int conn;

	/** The last attempt whose end was recorded: later callbacks of it are ignored. */
	private int closedAttempt;

	private boolean joined;

	private long lastSeq = -1;

	private String epoch;

	private int published;

	private boolean reading = true;

	private boolean demandOwed;

	private boolean stopped;

	private final StringBuilder partial = new StringBuilder();

	ChaosClient(String name, String room, String token, HttpClient http, History history, ScheduledExecutorService scheduler,
			Supplier<URI> target, Duration reconnectDelay, DeliveryLatency latency, int payload) {
		this.name = name;
		this.room = room;
		this.token = token;
		this.http = http;
		this.history = history;
		this.scheduler = scheduler;
		this.target = target;
		this.reconnectDelay = reconnectDelay;
		this.latency = latency;
		this.padding = "x".repeat(payload);
	}

	String name() {
		return this.name;
	}

	String room() {
		return this.room;
	}

	synchronized boolean isLive() {
		return this.joined && this.socket != null;
	}

	synchronized long lastSeq() {
		return this.lastSeq;
	}

	synchronized int pendingPublishes() {
		return this.pending.size();
	}

	synchronized void connect(URI url) {
		if (this.stopped) {
			return;
		}
		int attempt = ++this.conn;
		this.http.newWebSocketBuilder()
			.header("Authorization", "Bearer " + this.token)
			.connectTimeout(Duration.ofSeconds(5))
			.buildAsync(url, new Listener(attempt))
			.whenComplete((opened, error) -> {
				if (error != null) {
					closed(attempt, 1006);
				}
				else {
					opened(attempt, opened);
				}
			});
	}

	private synchronized void opened(int attempt, WebSocket opened) {
		if (attempt != this.conn || this.stopped) {
			opened.abort();
			return;
		}
		this.socket = opened;
		this.sends = CompletableFuture.completedFuture(null);
		ObjectNode join = History.JSON.createObjectNode().put("type", "join").put("room", this.room).put("ref", "join-" + attempt);
		if (this.lastSeq >= 0) {
			join.put("since", this.lastSeq);
			if (this.epoch != null) {
				join.put("epoch", this.epoch);
			}
		}
		this.history.add(new Join(this.history.now(), this.name, attempt, this.room, this.lastSeq));
		send(join.toString());
	}

	private synchronized void closed(int attempt, int code) {
		if (attempt != this.conn || attempt == this.closedAttempt) {
			return;
		}
		this.closedAttempt = attempt;
		this.history.add(new Closed(this.history.now(), this.name, attempt, code));
		this.joined = false;
		this.socket = null;
		if (!this.stopped) {
			this.scheduler.schedule(() -> reconnect(attempt), this.reconnectDelay.toMillis(), TimeUnit.MILLISECONDS);
		}
	}

	private synchronized void reconnect(int closed) {
		if (closed == this.conn && !this.stopped) {
			connect(this.target.get());
		}
	}

	/** Publishes one durable event with a fresh id. */
	synchronized void publish() {
		String id = this.name + "-" + (++this.published);
		long sentAtMicros = ChronoUnit.MICROS.between(Instant.EPOCH, Instant.now());
		ObjectNode publish = History.JSON.createObjectNode().put("type", "publish").put("room", this.room).put("event", "chaos")
			.put("id", id).put("ref", id);
		publish.putObject("data").put("sentAt", sentAtMicros).put("pad", this.padding);
		Pending entry = new Pending(publish.toString());
		this.pending.put(id, entry);
		this.history.add(new Publish(this.history.now(), this.name, this.room, id));
		if (this.socket != null) {
			entry.sentNanos = System.nanoTime();
			send(entry.frame);
		}
	}

	/** Sends again what waited too long for its ack (or was never sent for want of a connection). */
	synchronized void resendOverdue() {
		if (!this.joined || this.socket == null) {
			return;
		}
		long now = System.nanoTime();
		for (Pending entry : this.pending.values()) {
			if (entry.sentNanos == 0 || now - entry.sentNanos > RESEND_AFTER.toNanos()) {
				entry.sentNanos = now;
				send(entry.frame);
			}
		}
	}

	synchronized void stopReading() {
		this.reading = false;
		this.latency.stalled(this.name);
	}

	synchronized void resumeReading() {
		this.reading = true;
		if (this.demandOwed && this.socket != null) {
			this.demandOwed = false;
			this.socket.request(1);
		}
	}

	/** Drops the socket without a close frame and reconnects at once. */
	synchronized void drop() {
		if (this.socket != null) {
			this.socket.abort();
			closed(this.conn, 1006);
		}
	}

	synchronized void stop() {
		this.stopped = true;
		if (this.socket != null) {
			this.socket.sendClose(WebSocket.NORMAL_CLOSURE, "done");
			this.socket.abort();
		}
	}

	private void send(String frame) {
		WebSocket current = this.socket;
		// One send at a time per socket, as the JDK's WebSocket requires; a failed one means the socket is gone.
		this.sends = this.sends.thenCompose(ignored -> current.sendText(frame, true)).exceptionally(error -> null);
	}

	private synchronized void onText(int attempt, WebSocket from, CharSequence text, boolean last) {
		if (attempt != this.conn || attempt == this.closedAttempt) {
			return;
		}
		this.partial.append(text);
		if (last) {
			String frame = this.partial.toString();
			this.partial.setLength(0);
			for (String line : frame.split("\n")) {
				if (!line.isBlank()) {
					onMessage(attempt, History.JSON.readTree(line));
				}
			}
		}
		if (this.reading) {
			from.request(1);
		}
		else {
			this.demandOwed = true;
		}
	}

	private void onMessage(int attempt, JsonNode message) {
		long t = this.history.now();
		switch (message.path("type").asString("")) {
			case "event" -> {
				if (!message.has("seq") || !this.room.equals(message.path("room").asString(""))) {
					return;
				}
				long seq = message.get("seq").asLong();
				this.history.add(new Delivery(t, this.name, attempt, this.room, seq, message.path("id").asString(null)));
				if (seq > this.lastSeq) {
					this.lastSeq = seq;
					long sentAt = message.path("data").path("sentAt").asLong(0);
					if (sentAt > 0) {
						long micros = ChronoUnit.MICROS.between(Instant.EPOCH, Instant.now()) - sentAt;
						this.latency.record(message.path("from").asString(null), this.name, micros);
					}
				}
			}
			case "joined" -> {
				long seq = message.path("seq").asLong();
				boolean recovered = message.path("recovered").asBoolean(true);
				this.history.add(new Joined(t, this.name, attempt, this.room, seq, recovered));
				this.epoch = message.path("epoch").asString(this.epoch);
				this.lastSeq = Math.max(this.lastSeq, seq);
				if (!recovered) {
					this.lastSeq = seq;
				}
				this.joined = true;
				resendOverdue();
			}
			case "ack" -> {
				String id = message.path("ref").asString("");
				this.pending.remove(id);
				if (!id.isEmpty()) {
					this.history.add(new Ack(t, this.name, this.room, id, message.path("seq").asLong(), message.path("duplicate").asBoolean(false)));
				}
			}
			case "error" -> {
				String ref = message.path("ref").asString("");
				if (this.pending.containsKey(ref)) {
					this.history.add(new Refused(t, this.name, this.room, ref, message.path("code").asString("")));
				}
				else if (ref.startsWith("join-") && this.socket != null) {
					// A join the store could not answer: try again on a new connection.
					this.socket.abort();
					closed(attempt, 1006);
				}
			}
			default -> {
			}
		}
	}

	/** The frame of a publish and when it was last sent (0: not yet). */
	private static final class Pending {

		final String frame;

		long sentNanos;

		Pending(String frame) {
			this.frame = frame;
		}

	}

	private final class Listener implements WebSocket.Listener {

		private final int attempt;

		Listener(int attempt) {
			this.attempt = attempt;
		}

		@Override
		public void onOpen(WebSocket webSocket) {
			webSocket.request(1);
		}

		@Override
		public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
			ChaosClient.this.onText(this.attempt, webSocket, data, last);
			return null;
		}

		@Override
		public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
			closed(this.attempt, statusCode);
			return null;
		}

		@Override
		public void onError(WebSocket webSocket, Throwable error) {
			closed(this.attempt, 1006);
		}

	}

}
