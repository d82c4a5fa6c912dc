package io.eventgateway.gateway.websocket;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.eventgateway.gateway.testing.ExternalServices;
import io.eventgateway.gateway.testing.GatewayInstance;
import io.eventgateway.gateway.testing.GatewayProcess;
import io.eventgateway.gateway.testing.HttpCall;
import io.eventgateway.gateway.testing.TestClient;
import io.eventgateway.gateway.testing.RoomHistory;
import io.eventgateway.gateway.testing.TestTokens;
import io.netty.handler.codec.http.HttpHeaderNames;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;
import reactor.netty.resources.LoopResources;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * SIGTERM to a gateway (a child JVM) holding 2,000 WebSocket clients while some publish durable
 * events: every client is told 1012, the closes are spread over the drain window rather than sent
 * at once, the process exits within its shutdown time, and no publish is lost in silence: each
 * acknowledged one is stored under the seq its ack named, and each that got no ack (answered
 * {@code unavailable}, or not answered before the close) is not stored, so its client may send it
 * again.
 */
class ShutdownUnderLoadIntegrationTests {

	private static final int IDLE_CLIENTS = 2_000;

	private static final int PUBLISHERS = 8;

	private static final String ROOM = "team-drain";

	private static final Duration DRAIN_WINDOW = Duration.ofSeconds(3);

	/** Two shutdown phases of 20 s at most, and the JVM's own exit. */
	private static final Duration SHUTDOWN_TIMEOUT = Duration.ofSeconds(45);

	@Test
	void sigtermClosesEveryClientWith1012OverTheDrainWindowAndLosesNoPublishInSilence() throws Exception {
		String database = ExternalServices.createDatabase();
		String databaseUrl = "gateway.database.url=" + ExternalServices.r2dbcUrl(ExternalServices.postgresAddress(), database);
		LoopResources loops = LoopResources.create("drain-clients", 2, true);
		ExecutorService pool = Executors.newFixedThreadPool(PUBLISHERS);
		try (GatewayProcess gateway = GatewayProcess.start(databaseUrl, "gateway.ws.drain-window=" + DRAIN_WINDOW.toMillis() + "ms",
				"gateway.ws.request-rate=100000", "gateway.ws.request-burst=100000")) {
			IdleClients idle = IdleClients.open(gateway.port(), IDLE_CLIENTS, loops);
			List<Publisher> publishers = new ArrayList<>();
			for (int k = 0; k < PUBLISHERS; k++) {
				publishers.add(new Publisher(k, gateway.connect("p" + k, "team-*")));
			}
			AtomicInteger acknowledged = new AtomicInteger();
			List<Future<?>> running = publishers.stream().<Future<?>>map(p -> pool.submit(() -> p.run(acknowledged))).toList();
			while (acknowledged.get() < 200 && running.stream().noneMatch(Future::isDone)) {
				Thread.sleep(10);
			}
			assertThat(idle.open()).as("idle clients open before SIGTERM").isEqualTo(IDLE_CLIENTS);

			gateway.terminate();
			long terminatedAt = System.nanoTime();
			Integer exit = gateway.awaitExit(SHUTDOWN_TIMEOUT);
			assertThat(exit).as("exited within %s of SIGTERM; log %s ends:%n%s", SHUTDOWN_TIMEOUT, gateway.log(),
					gateway.logTail(30)).isNotNull();
			for (Future<?> publisher : running) {
				publisher.get(30, TimeUnit.SECONDS);
			}
			assertThat(idle.awaitAllClosed(Duration.ofSeconds(10))).as("every idle client saw its close").isTrue();

			assertThat(idle.closeCodes()).as("close codes of the idle clients").containsOnlyKeys(1012);
			assertThat(idle.closeCodes().get(1012)).isEqualTo(IDLE_CLIENTS);
			assertThat(publishers).extracting(p -> p.closeCode).as("close codes of the publishers").containsOnly(1012);
			long spreadMillis = TimeUnit.NANOSECONDS.toMillis(idle.lastCloseNanos() - idle.firstCloseNanos());
			assertThat(spreadMillis).as("closes spread over the drain window (first %d ms after SIGTERM)",
					TimeUnit.NANOSECONDS.toMillis(idle.firstCloseNanos() - terminatedAt))
				.isGreaterThanOrEqualTo(DRAIN_WINDOW.toMillis() / 2);

			Map<String, Long> acked = new HashMap<>();
			List<String> notAcked = new ArrayList<>();
			publishers.forEach(p -> {
				acked.putAll(p.acked);
				notAcked.addAll(p.unavailable);
				notAcked.addAll(p.unanswered);
			});
			assertThat(acked).hasSizeGreaterThanOrEqualTo(200);
			try (GatewayInstance reader = GatewayInstance.start(databaseUrl)) {
				Map<String, Long> stored = storedSeqsById(reader.port());
				assertThat(stored).as("every acknowledged publish is stored under the seq its ack named")
					.containsAllEntriesOf(acked);
				assertThat(stored.keySet()).as("publishes without an ack are not stored: their clients send them again")
					.doesNotContainAnyElementsOf(notAcked);
				assertThat(stored).hasSameSizeAs(acked);
			}
			idle.dispose();
		}
		finally {
			pool.shutdownNow();
			loops.disposeLater().block(Duration.ofSeconds(10));
			ExternalServices.dropDatabase(database);
		}
	}

	private static Map<String, Long> storedSeqsById(int port) {
		Map<String, Long> stored = new HashMap<>();
		RoomHistory.read(port, ROOM, TestTokens.forRooms("reader", "team-*"))
			.forEach(item -> stored.put(item.path("id").asString(), item.path("seq").asLong()));
		return stored;
	}

	/** One client publishing durable events one at a time until its connection closes. */
	private static final class Publisher {

		private final int number;

		private final TestClient client;

		final Map<String, Long> acked = new ConcurrentHashMap<>();

		final List<String> unavailable = new ArrayList<>();

		final List<String> unanswered = new ArrayList<>();

		volatile int closeCode;

		Publisher(int number, TestClient client) {
			this.number = number;
			this.client = client;
		}

		void run(AtomicInteger acknowledged) {
			for (int i = 0;; i++) {
				String id = "p" + this.number + "-" + i;
				try {
					this.client.send("{\"type\":\"publish\",\"room\":\"" + ROOM + "\",\"event\":\"tick\",\"data\":{},\"id\":\""
							+ id + "\",\"ref\":\"" + id + "\"}");
				}
				catch (IllegalStateException closed) {
					break;
				}
				JsonNode reply = awaitReply(id);
				if (reply == null) {
					this.unanswered.add(id);
					break;
				}
				if ("ack".equals(reply.path("type").asString())) {
					this.acked.put(id, reply.path("seq").asLong());
					acknowledged.incrementAndGet();
				}
				else if ("unavailable".equals(reply.path("code").asString())) {
					this.unavailable.add(id);
				}
				else {
					throw new AssertionError("unexpected reply " + reply);
				}
			}
			this.closeCode = this.client.awaitClose().code();
		}

		/** The reply to {@code ref}, or {@code null} once the connection closed without one. */
		private JsonNode awaitReply(String ref) {
			long deadline = System.nanoTime() + TestClient.TIMEOUT.toNanos();
			while (System.nanoTime() < deadline) {
				boolean closed = this.client.isClosed();
				JsonNode message = this.client.poll(Duration.ofMillis(50));
				if (message != null && ref.equals(message.path("ref").asString())) {
					return message;
				}
				if (message == null && closed) {
					return null;
				}
			}
			throw new AssertionError("no reply to " + ref + " and no close within " + TestClient.TIMEOUT);
		}

	}

	/** Many WebSocket clients that only hold their connection, on two shared event loops. */
	private static final class IdleClients {

		private final Map<Integer, AtomicInteger> closeCodes = new ConcurrentHashMap<>();

		private final ConcurrentLinkedQueue<Long> closeTimes = new ConcurrentLinkedQueue<>();

		private final Set<Integer> opened = ConcurrentHashMap.newKeySet();

		private final CountDownLatch closed;

		private final List<reactor.core.Disposable> connections = java.util.Collections.synchronizedList(new ArrayList<>());

		private IdleClients(int count) {
			this.closed = new CountDownLatch(count);
		}

		static IdleClients open(int port, int count, LoopResources loops) {
			IdleClients clients = new IdleClients(count);
			HttpClient http = HttpClient.create(ConnectionProvider.newConnection()).runOn(loops);
			CountDownLatch handshakes = new CountDownLatch(count);
			Flux.range(0, count).concatMap(i -> {
				String token = TestTokens.forRooms("idle" + i, "team-*");
				clients.connections.add(http.headers(headers -> headers.set(HttpHeaderNames.AUTHORIZATION, "Bearer " + token))
					.websocket()
					.uri("ws://127.0.0.1:" + port + "/ws")
					.handle((in, out) -> {
						clients.opened.add(i);
						handshakes.countDown();
						in.receiveCloseStatus().subscribe(status -> clients.closedWith(status.code()));
						return in.receive().then();
					})
					.subscribe(null, error -> handshakes.countDown()));
				// A few at a time: a handshake storm is another test's subject.
				return (i % 100 == 99) ? Mono.delay(Duration.ofMillis(20)) : Mono.empty();
			}).blockLast(Duration.ofSeconds(60));
			try {
				handshakes.await(60, TimeUnit.SECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			return clients;
		}

		private void closedWith(int code) {
			this.closeTimes.add(System.nanoTime());
			this.closeCodes.computeIfAbsent(code, c -> new AtomicInteger()).incrementAndGet();
			this.closed.countDown();
		}

		int open() {
			return this.opened.size();
		}

		boolean awaitAllClosed(Duration timeout) throws InterruptedException {
			return this.closed.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
		}

		Map<Integer, Integer> closeCodes() {
			Map<Integer, Integer> codes = new HashMap<>();
			this.closeCodes.forEach((code, count) -> codes.put(code, count.get()));
			return codes;
		}

		long firstCloseNanos() {
			return this.closeTimes.stream().mapToLong(Long::longValue).min().orElseThrow();
		}

		long lastCloseNanos() {
			return this.closeTimes.stream().mapToLong(Long::longValue).max().orElseThrow();
		}

		void dispose() {
			this.connections.forEach(reactor.core.Disposable::dispose);
		}

	}

}
