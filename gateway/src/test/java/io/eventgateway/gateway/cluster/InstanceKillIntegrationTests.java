package io.eventgateway.gateway.cluster;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
import java.util.stream.Stream;

import io.eventgateway.core.store.EventStore;
import io.eventgateway.gateway.testing.ExternalServices;
import io.eventgateway.gateway.testing.GatewayInstance;
import io.eventgateway.gateway.testing.GatewayProcess;
import io.eventgateway.gateway.testing.HttpCall;
import io.eventgateway.gateway.testing.TestClient;
import io.eventgateway.gateway.testing.RoomHistory;
import io.eventgateway.gateway.testing.TestTokens;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * An instance killed with SIGKILL while clients pipeline durable publishes through it loses nothing
 * acknowledged and stores nothing twice. Each client reconnects to the surviving instance and
 * re-sends, with the same id, every publish it has no ack for: one the killed instance stored but
 * never acknowledged is answered {@code duplicate:true} with its first seq instead of being stored
 * again, because the ids live in PostgreSQL. The room's history and every subscriber then hold each
 * id exactly once, as seqs 1..n without a gap.
 */
class InstanceKillIntegrationTests {

	private static final Logger logger = LoggerFactory.getLogger(InstanceKillIntegrationTests.class);

	private static final String ROOM = "team-kill";

	private static final int PUBLISHERS = 4;

	private static final int PER_PUBLISHER = 300;

	private static final int TOTAL = PUBLISHERS * PER_PUBLISHER;

	/** Publishes one client keeps sent and not yet acknowledged. */
	private static final int WINDOW = 50;

	private static final Duration TIMEOUT = Duration.ofSeconds(30);

	/** Longest the kill waits for stored events awaiting their ack, before it goes ahead regardless. */
	private static final Duration STORED_AHEAD_WAIT = Duration.ofSeconds(1);

	@Test
	void aKilledInstanceLosesNoAcknowledgedPublishAndResentOnesAreStoredOnce() throws Exception {
		String database = ExternalServices.createDatabase();
		String prefix = ExternalServices.redisKeyPrefix();
		List<String> cluster = List.of(
				"gateway.database.url=" + ExternalServices.r2dbcUrl(ExternalServices.postgresAddress(), database),
				"gateway.redis.url=" + ExternalServices.redisUrl(), "gateway.redis.key-prefix=" + prefix,
				"gateway.ws.request-rate=100000", "gateway.ws.request-burst=100000");
		// The survivor's sweep brings what the killed instance stored but did not live to send through Redis.
		String[] survivor = Stream.concat(cluster.stream(), Stream.of("gateway.redis.catch-up-interval=1s"))
			.toArray(String[]::new);
		ExecutorService pool = Executors.newFixedThreadPool(PUBLISHERS);
		List<Publisher> publishers = new ArrayList<>();
		try (GatewayProcess a = GatewayProcess.start(cluster.toArray(String[]::new));
				GatewayInstance b = GatewayInstance.start(survivor);
				TestClient firstSubscriber = b.connect("s1", "team-*");
				TestClient secondSubscriber = b.connect("s2", "team-*")) {
			for (TestClient subscriber : List.of(firstSubscriber, secondSubscriber)) {
				subscriber.send("{\"type\":\"join\",\"room\":\"" + ROOM + "\"}");
				subscriber.nextOfType("joined");
			}
			assertARepeatOnTheOtherInstanceIsADuplicate(b, a);

			AtomicInteger acknowledged = new AtomicInteger();
			for (int k = 0; k < PUBLISHERS; k++) {
				// Connected before any publishing starts, so that each one is on A when it dies.
				publishers.add(new Publisher(k, a.connect("p" + k, "team-*"), b.port(), acknowledged));
			}
			List<Future<?>> running = publishers.stream().<Future<?>>map(publisher -> pool.submit(publisher::run)).toList();
			await().atMost(TIMEOUT)
				.pollInterval(Duration.ofMillis(1))
				.until(() -> acknowledged.get() >= TOTAL / 3 || running.stream().anyMatch(Future::isDone));
			boolean storedAhead = awaitStoredAheadOfAcknowledged(b.bean(EventStore.class), acknowledged);
			int acknowledgedBeforeKill = acknowledged.get();
			assertThat(a.kill()).as("exit status of a process ended by SIGKILL (log %s)", a.log()).isEqualTo(128 + 9);
			for (Future<?> publisher : running) {
				publisher.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
			}

			int resent = publishers.stream().mapToInt(publisher -> publisher.resent.size()).sum();
			int duplicates = publishers.stream().mapToInt(publisher -> publisher.resentDuplicates).sum();
			logger.info("killed with {} publishes acknowledged (store ahead of them: {}); {} re-sent after it, {} of those"
					+ " answered duplicate", acknowledgedBeforeKill, storedAhead, resent, duplicates);
			assertThat(resent).as("the kill caught publishes awaiting their ack (%d acknowledged before it)",
					acknowledgedBeforeKill).isPositive();
			// Zero when the acks still got out between that wait and the kill: not asserted positive.
			assertThat(duplicates).as("re-sent publishes the killed instance had stored: %d of %d", duplicates, resent)
				.isGreaterThanOrEqualTo(0);

			Map<String, List<Long>> acksById = new HashMap<>();
			publishers.forEach(publisher -> publisher.acks.forEach((i, seqs) -> acksById.put(publisher.id(i), seqs)));
			List<String> allIds = IntStream.range(0, PUBLISHERS)
				.boxed()
				.flatMap(k -> IntStream.range(0, PER_PUBLISHER).mapToObj(i -> Publisher.id(k, i)))
				.toList();
			assertThat(acksById.keySet()).as("acknowledged ids").containsExactlyInAnyOrderElementsOf(allIds);
			assertThat(acksById).allSatisfy((id, seqs) -> assertThat(new HashSet<>(seqs)).as("seqs acknowledged for %s", id)
				.hasSize(1));

			List<JsonNode> history = RoomHistory.read(b.port(), ROOM, TestTokens.forRooms("reader", "team-*"));
			assertThat(history).extracting(item -> item.path("seq").asLong())
				.as("stored seqs")
				.containsExactlyElementsOf(LongStream.rangeClosed(1, TOTAL).boxed().toList());
			assertThat(history).extracting(item -> item.path("id").asString())
				.as("stored ids")
				.doesNotHaveDuplicates()
				.containsExactlyInAnyOrderElementsOf(allIds);
			assertThat(history).allSatisfy(item -> assertThat(Publisher.id(item.path("data").path("publisher").asInt(),
					item.path("data").path("i").asInt())).as("the id stored with the data of seq %s", item.path("seq"))
				.isEqualTo(item.path("id").asString()));
			Map<String, Long> storedSeqById = new HashMap<>();
			history.forEach(item -> storedSeqById.put(item.path("id").asString(), item.path("seq").asLong()));
			Map<String, Long> ackedSeqById = new HashMap<>();
			acksById.forEach((id, seqs) -> ackedSeqById.put(id, seqs.get(0)));
			assertThat(ackedSeqById).as("each ack names the seq its id is stored under").isEqualTo(storedSeqById);

			List<String> stored = history.stream()
				.map(item -> item.path("seq").asLong() + " " + item.path("id").asString())
				.toList();
			for (TestClient subscriber : List.of(firstSubscriber, secondSubscriber)) {
				assertThat(receivedEvents(subscriber, TOTAL)).as("seq and id of each event received, in order")
					.containsExactlyElementsOf(stored);
			}
			for (TestClient subscriber : List.of(firstSubscriber, secondSubscriber)) {
				assertThat(subscriber.drain()).as("events after the last")
					.noneMatch(message -> "event".equals(message.path("type").asString()));
			}
		}
		finally {
			pool.shutdownNow();
			publishers.forEach(Publisher::close);
			ExternalServices.dropDatabase(database);
			ExternalServices.deleteRedisKeys(prefix);
		}
	}

	/** An id stored through one instance is a duplicate through the other: ids live in the store. */
	private static void assertARepeatOnTheOtherInstanceIsADuplicate(GatewayInstance first, GatewayProcess second) {
		String room = "team-kill-check";
		try (TestClient onFirst = first.connect("check", "team-*"); TestClient onSecond = second.connect("check", "team-*")) {
			onFirst.send(Publisher.publish(room, "check-1", "1", "{}"));
			JsonNode stored = onFirst.nextMatching(message -> "1".equals(message.path("ref").asString()));
			assertThat(stored.path("type").asString()).as(stored.toString()).isEqualTo("ack");
			onSecond.send(Publisher.publish(room, "check-1", "2", "{}"));
			JsonNode repeated = onSecond.nextMatching(message -> "2".equals(message.path("ref").asString()));
			assertThat(repeated.path("type").asString()).as(repeated.toString()).isEqualTo("ack");
			assertThat(repeated.path("duplicate").asBoolean(false)).as(repeated.toString()).isTrue();
			assertThat(repeated.path("seq").asLong()).isEqualTo(stored.path("seq").asLong());
		}
	}

	/**
	 * Waits, for a moment at most, until the store holds more of the room's events than their
	 * publishers have acks for: a kill then catches events stored and never acknowledged, which their
	 * re-sends meet as duplicates. Killed right after acks arrived, the instance would mostly be
	 * waiting on the database for the next batch, and nothing re-sent would have been stored.
	 */
	private static boolean awaitStoredAheadOfAcknowledged(EventStore store, AtomicInteger acknowledged) {
		long deadline = System.nanoTime() + STORED_AHEAD_WAIT.toNanos();
		while (System.nanoTime() < deadline) {
			// The store first: its head only grows, so a head above the acks read after it is still above them.
			long stored = store.position(ROOM).block(TIMEOUT).seq();
			if (stored > acknowledged.get()) {
				return true;
			}
		}
		return false;
	}
	/**
	 * {@code "seq id"} of each of the room's durable events the subscriber receives, until one reaches
	 * {@code lastSeq} or {@link #TIMEOUT} passes: what arrived, for an assertion that shows a gap.
	 */
	private static List<String> receivedEvents(TestClient subscriber, long lastSeq) {
		List<String> events = new ArrayList<>();
		long newest = 0;
		long deadline = System.nanoTime() + TIMEOUT.toNanos();
		while (newest < lastSeq && System.nanoTime() < deadline) {
			JsonNode message = subscriber.poll(Duration.ofMillis(100));
			if (message != null && "event".equals(message.path("type").asString()) && message.has("seq")
					&& ROOM.equals(message.path("room").asString())) {
				newest = message.path("seq").asLong();
				events.add(newest + " " + message.path("id").asString());
			}
		}
		return events;
	}

	/**
	 * One client publishing the ids {@code p<k>-0 .. p<k>-<n-1>} with at most {@link #WINDOW} awaiting
	 * their ack: through A until its connection is gone, then through B, first re-sending every
	 * publish A did not acknowledge. Not thread-safe: one thread runs it, and the test reads it after.
	 */
	private static final class Publisher {

		private final int index;

		private final TestClient onA;

		private final int portB;

		/** Acknowledged publishes of every publisher: the test kills A once enough are. */
		private final AtomicInteger acknowledged;

		/** The seq of every ack received, by publish number. */
		final Map<Integer, List<Long>> acks = new HashMap<>();

		/** Publish numbers re-sent through B. */
		final Set<Integer> resent = new HashSet<>();

		int resentDuplicates;

		private final TreeSet<Integer> awaitingAck = new TreeSet<>();

		private int next;

		private volatile TestClient onB;

		Publisher(int index, TestClient onA, int portB, AtomicInteger acknowledged) {
			this.index = index;
			this.onA = onA;
			this.portB = portB;
			this.acknowledged = acknowledged;
		}

		static String id(int publisher, int i) {
			return "p" + publisher + "-" + i;
		}

		String id(int i) {
			return id(this.index, i);
		}

		static String publish(String room, String id, String ref, String data) {
			return "{\"type\":\"publish\",\"room\":\"" + room + "\",\"event\":\"tick\",\"data\":" + data + ",\"id\":\"" + id
					+ "\",\"ref\":\"" + ref + "\"}";
		}

		void run() {
			publishUntilDoneOrGone(this.onA);
			if (done()) {
				return;
			}
			this.onB = TestClient.connect(this.portB, TestTokens.forRooms("p" + this.index, "team-*"));
			// Sent through A and never acknowledged: stored or not, the same id makes a second try safe.
			for (int i : this.awaitingAck) {
				this.resent.add(i);
				this.onB.send(publish(i));
			}
			publishUntilDoneOrGone(this.onB);
			if (!done()) {
				throw new AssertionError(id(this.next) + ": the connection to B was lost, " + this.awaitingAck.size()
						+ " publishes awaiting their ack");
			}
		}

		private boolean done() {
			return this.next == PER_PUBLISHER && this.awaitingAck.isEmpty();
		}

		private String publish(int i) {
			// The data names the id, so that the history shows each event kept its own.
			return publish(ROOM, id(i), String.valueOf(i), "{\"publisher\":" + this.index + ",\"i\":" + i + "}");
		}

		/** Publishes through the client until every publish is acknowledged or its connection is gone. */
		private void publishUntilDoneOrGone(TestClient client) {
			long deadline = System.nanoTime() + TIMEOUT.toNanos();
			while (!done()) {
				while (this.next < PER_PUBLISHER && this.awaitingAck.size() < WINDOW) {
					try {
						client.send(publish(this.next));
					}
					catch (IllegalStateException ex) {
						// The connection is gone: this one never left, so it is sent as new elsewhere.
						break;
					}
					this.awaitingAck.add(this.next++);
				}
				JsonNode reply = client.poll(Duration.ofMillis(20));
				if (reply != null) {
					take(reply);
				}
				else if (client.isClosed()) {
					// Acks that arrived just before the connection closed still count.
					while ((reply = client.poll(Duration.ofMillis(100))) != null) {
						take(reply);
					}
					return;
				}
				else if (System.nanoTime() > deadline) {
					throw new AssertionError(id(this.next) + ": not done within " + TIMEOUT + ", "
							+ this.awaitingAck.size() + " publishes awaiting their ack");
				}
			}
		}

		private void take(JsonNode reply) {
			if (!reply.has("ref")) {
				return;
			}
			int i = Integer.parseInt(reply.path("ref").asString());
			if (!"ack".equals(reply.path("type").asString()) || !ROOM.equals(reply.path("room").asString())) {
				throw new AssertionError(id(i) + ": unexpected reply " + reply);
			}
			if (!this.awaitingAck.remove(i)) {
				throw new AssertionError(id(i) + ": acknowledged again " + reply);
			}
			this.acks.computeIfAbsent(i, key -> new ArrayList<>()).add(reply.path("seq").asLong());
			if (reply.path("duplicate").asBoolean(false)) {
				if (!this.resent.contains(i)) {
					throw new AssertionError(id(i) + ": published once, answered as a duplicate " + reply);
				}
				this.resentDuplicates++;
			}
			this.acknowledged.incrementAndGet();
		}

		void close() {
			this.onA.close();
			TestClient b = this.onB;
			if (b != null) {
				b.close();
			}
		}

	}

}
