package io.eventgateway.gateway.testing;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelOption;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import org.reactivestreams.Subscription;
import reactor.core.publisher.BaseSubscriber;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.client.WebsocketClientSpec;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A real WebSocket client for tests (Reactor Netty). Splits frames on newlines into JSON messages
 * (a line that is not JSON fails the next read, and the close, with the frame's text),
 * can stop reading to play a slow consumer, and records the close status it receives.
 */
public final class TestClient implements AutoCloseable {

	public static final Duration TIMEOUT = Duration.ofSeconds(15);

	private static final JsonMapper JSON = JsonMapper.builder().build();

	// Lock-free: it is filled on a Netty event loop, where BlockHound forbids waiting for a lock.
	private final Queue<Received> messages = new ConcurrentLinkedQueue<>();

	/** The first frame that was not JSON: every later read fails with it. */
	private volatile AssertionError unparseable;

	private final Sinks.Many<WebSocketFrame> outgoing = Sinks.many().unicast().onBackpressureBuffer();

	private final CompletableFuture<WebSocketCloseStatus> closeStatus = new CompletableFuture<>();

	private final CompletableFuture<Void> disconnected = new CompletableFuture<>();

	private final AtomicInteger frames = new AtomicInteger();

	private volatile boolean paused;

	private volatile String selectedProtocol;

	private volatile Reader reader;

	private TestClient() {
	}

	public static TestClient connect(int port, String token) {
		return connect(port, token, null, false);
	}

	/**
	 * @param bindAddress local address to connect from, e.g. 127.0.0.2; {@code null} for any
	 * @param handlePings {@code true} to take pings in the client instead of answering them
	 */
	public static TestClient connect(int port, String token, String bindAddress, boolean handlePings) {
		HttpClient http = HttpClient.create().headers(headers -> headers.set(HttpHeaderNames.AUTHORIZATION, "Bearer " + token));
		return connect(http, "ws://127.0.0.1:" + port + "/ws", bindAddress, handlePings);
	}

	/** Connects the way browsers must: the token in the query. */
	public static TestClient connectWithQueryToken(int port, String token) {
		return connect(HttpClient.create(), "ws://127.0.0.1:" + port + "/ws?token=" + token, null, false);
	}

	/** Connects offering these subprotocols (comma-separated), as a browser passing its token there does. */
	public static TestClient connectWithProtocols(int port, String protocols) {
		return connect(HttpClient.create(), "ws://127.0.0.1:" + port + "/ws", null, false, protocols);
	}

	/** Connects with a small receive buffer, so that a paused reader backs up the server quickly. */
	public static TestClient connectWithSmallReceiveBuffer(int port, String token) {
		HttpClient http = HttpClient.create()
			.headers(headers -> headers.set(HttpHeaderNames.AUTHORIZATION, "Bearer " + token))
			.option(ChannelOption.SO_RCVBUF, 8 * 1024);
		return connect(http, "ws://127.0.0.1:" + port + "/ws", null, false);
	}

	private static TestClient connect(HttpClient base, String url, String bindAddress, boolean handlePings) {
		return connect(base, url, bindAddress, handlePings, null);
	}

	private static TestClient connect(HttpClient base, String url, String bindAddress, boolean handlePings,
			String protocols) {
		TestClient client = new TestClient();
		CompletableFuture<Void> opened = new CompletableFuture<>();
		HttpClient http = base;
		if (bindAddress != null) {
			http = http.bindAddress(() -> new InetSocketAddress(bindAddress, 0));
		}
		WebsocketClientSpec.Builder spec = WebsocketClientSpec.builder().maxFramePayloadLength(1 << 22).handlePing(handlePings);
		if (protocols != null) {
			spec.protocols(protocols);
		}
		http.websocket(spec.build())
			.uri(url)
			.handle((in, out) -> {
				client.selectedProtocol = in.selectedSubprotocol();
				opened.complete(null);
				in.receiveCloseStatus().subscribe(client.closeStatus::complete);
				Reader reader = client.new Reader();
				client.reader = reader;
				in.aggregateFrames(1 << 22).receiveFrames().subscribe(reader);
				return out.sendObject(client.outgoing.asFlux()).then().then(out.sendClose(1000, "bye"));
			})
			.doFinally(signal -> client.disconnected.complete(null))
			.subscribe(null, opened::completeExceptionally);
		opened.orTimeout(TIMEOUT.toSeconds(), TimeUnit.SECONDS).join();
		return client;
	}

	/** The full refusal of a handshake: status, headers, body. */
	public static Refusal refusal(String url, String authorization) {
		return refusal(url, authorization, null);
	}

	/** The full refusal of a handshake sent from a browser page of this origin. */
	public static Refusal refusal(String url, String authorization, String origin) {
		HttpClient http = HttpClient.create().headers(headers -> {
			if (origin != null) {
				headers.set(HttpHeaderNames.ORIGIN, origin);
			}
			headers.set(HttpHeaderNames.CONNECTION, "Upgrade");
			headers.set(HttpHeaderNames.UPGRADE, "websocket");
			headers.set(HttpHeaderNames.SEC_WEBSOCKET_VERSION, "13");
			headers.set(HttpHeaderNames.SEC_WEBSOCKET_KEY, "dGhlIHNhbXBsZSBub25jZQ==");
			if (authorization != null) {
				headers.set(HttpHeaderNames.AUTHORIZATION, authorization);
			}
		});
		return http.get()
			.uri(url.replace("ws://", "http://"))
			.responseSingle((response, body) -> body.asString()
				.defaultIfEmpty("")
				.map(text -> new Refusal(response.status().code(), response.responseHeaders().get("Retry-After"),
						response.responseHeaders().get("Content-Type"), text)))
			.block(TIMEOUT);
	}

	/** A message and when it came off the socket, by {@link System#nanoTime()}. */
	public record Received(JsonNode message, long atNanos) {

	}

	public record Refusal(int status, String retryAfter, String contentType, String body) {

		public JsonNode problem() {
			return JSON.readTree(this.body);
		}

	}

	public void send(String text) {
		send(new TextWebSocketFrame(text));
	}

	/** Sends a binary frame: the protocol speaks text only, so this is always bad input. */
	public void sendBinary(byte[] bytes) {
		send(new BinaryWebSocketFrame(Unpooled.wrappedBuffer(bytes)));
	}

	private void send(WebSocketFrame frame) {
		Sinks.EmitResult result = this.outgoing.tryEmitNext(frame);
		if (result.isFailure()) {
			frame.release();
			throw new IllegalStateException("could not send: " + result);
		}
	}

	/** The next message, waiting up to {@link #TIMEOUT}. */
	public JsonNode next() {
		JsonNode message = poll(TIMEOUT);
		if (message == null) {
			throw new AssertionError("no message within " + TIMEOUT);
		}
		return message;
	}

	public JsonNode poll(Duration timeout) {
		Received received = pollReceived(timeout);
		return (received != null) ? received.message() : null;
	}

	private Received pollReceived(Duration timeout) {
		long deadline = System.nanoTime() + timeout.toNanos();
		Received received;
		while ((received = this.messages.poll()) == null && System.nanoTime() < deadline) {
			failIfUnparseable();
			LockSupport.parkNanos(200_000);
		}
		failIfUnparseable();
		return received;
	}

	private void failIfUnparseable() {
		AssertionError failure = this.unparseable;
		if (failure != null) {
			throw failure;
		}
	}

	/** Skips messages until one matches. */
	public JsonNode nextMatching(Predicate<JsonNode> predicate) {
		return nextMatching(predicate, TIMEOUT);
	}

	/** Skips messages until one matches, waiting at most {@code timeout}. */
	public JsonNode nextMatching(Predicate<JsonNode> predicate, Duration timeout) {
		return nextReceived(predicate, timeout).message();
	}

	/** Skips messages until one matches, waiting at most {@code timeout}; with its arrival time. */
	public Received nextReceived(Predicate<JsonNode> predicate, Duration timeout) {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (System.nanoTime() < deadline) {
			Received received = pollReceived(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
			if (received != null && predicate.test(received.message())) {
				return received;
			}
		}
		throw new AssertionError("no matching message within " + timeout);
	}

	public JsonNode nextOfType(String type) {
		return nextMatching(message -> type.equals(message.path("type").asString()));
	}

	/** Collects the {@code seq} of the next {@code count} durable events of a room, skipping other messages. */
	public List<Long> eventSeqs(String room, int count) {
		return eventArrivals(room, count, TIMEOUT).stream().map(event -> event.message().path("seq").asLong()).toList();
	}

	/**
	 * The next {@code count} durable events of a room with their arrival times, skipping other
	 * messages; all of them within {@code timeout}.
	 */
	public List<Received> eventArrivals(String room, int count, Duration timeout) {
		long deadline = System.nanoTime() + timeout.toNanos();
		List<Received> events = new ArrayList<>(count);
		while (events.size() < count) {
			Duration left = Duration.ofNanos(Math.max(1, deadline - System.nanoTime()));
			try {
				events.add(nextReceived(message -> isDurableEventOf(message, room), left));
			}
			catch (AssertionError ex) {
				throw new AssertionError(events.size() + " of " + count + " events of " + room + " within " + timeout + ": seqs "
						+ events.stream().map(event -> event.message().path("seq").asLong()).toList(), ex);
			}
		}
		return events;
	}

	private static boolean isDurableEventOf(JsonNode message, String room) {
		return "event".equals(message.path("type").asString()) && message.has("seq") && room.equals(message.path("room").asString());
	}

	/**
	 * Collects the {@code seq} of the room's durable events until one reaches {@code lastSeq}, or
	 * until {@link #TIMEOUT}: what arrived, for an assertion that shows a gap.
	 */
	public List<Long> eventSeqsUpTo(String room, long lastSeq) {
		List<Long> seqs = new ArrayList<>();
		long deadline = System.nanoTime() + TIMEOUT.toNanos();
		while ((seqs.isEmpty() || seqs.get(seqs.size() - 1) < lastSeq) && System.nanoTime() < deadline) {
			JsonNode message = poll(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
			if (message != null && isDurableEventOf(message, room)) {
				seqs.add(message.path("seq").asLong());
			}
		}
		return seqs;
	}

	public List<JsonNode> drain() {
		failIfUnparseable();
		List<JsonNode> drained = new ArrayList<>();
		Received received;
		while ((received = this.messages.poll()) != null) {
			drained.add(received.message());
		}
		return drained;
	}

	/** The subprotocol the server selected in its handshake answer, or {@code null}. */
	public String selectedProtocol() {
		return this.selectedProtocol;
	}

	public int framesReceived() {
		return this.frames.get();
	}

	/** Stops reading from the socket: the server's writes back up, like a client that hangs. */
	public void pauseReading() {
		this.paused = true;
	}

	public void resumeReading() {
		this.paused = false;
		Reader current = this.reader;
		if (current != null) {
			current.request(1);
		}
	}

	public WebSocketCloseStatus awaitClose() {
		return this.closeStatus.orTimeout(TIMEOUT.toSeconds(), TimeUnit.SECONDS).join();
	}

	public boolean awaitDisconnected(Duration timeout) {
		try {
			this.disconnected.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
			return true;
		}
		catch (Exception ex) {
			return false;
		}
	}

	public boolean isClosed() {
		return this.closeStatus.isDone() || this.disconnected.isDone();
	}

	@Override
	public void close() {
		// Ignore result: a client already closed has nothing left to complete.
		this.outgoing.tryEmitComplete();
		Reader current = this.reader;
		if (current != null) {
			current.dispose();
		}
		failIfUnparseable();
	}

	private final class Reader extends BaseSubscriber<WebSocketFrame> {

		@Override
		protected void hookOnSubscribe(Subscription subscription) {
			request(1);
		}

		@Override
		protected void hookOnNext(WebSocketFrame frame) {
			if (frame instanceof TextWebSocketFrame text) {
				TestClient.this.frames.incrementAndGet();
				long now = System.nanoTime();
				String content = text.content().toString(StandardCharsets.UTF_8);
				for (String line : content.split("\n")) {
					if (!line.isBlank()) {
						parse(line, content, now);
					}
				}
			}
			if (!TestClient.this.paused) {
				request(1);
			}
		}

		private void parse(String line, String frame, long now) {
			try {
				TestClient.this.messages.add(new Received(JSON.readTree(line), now));
			}
			catch (JacksonException ex) {
				if (TestClient.this.unparseable == null) {
					TestClient.this.unparseable = new AssertionError("the server sent a frame that is not JSON lines: " + frame, ex);
				}
			}
		}

	}

}
