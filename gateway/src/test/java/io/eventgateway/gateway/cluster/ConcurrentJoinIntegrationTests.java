package io.eventgateway.gateway.cluster;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.LongStream;

import io.eventgateway.gateway.testing.GatewayInstance;
import io.eventgateway.gateway.testing.TestClient;
import io.eventgateway.gateway.testing.TwoInstanceCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Many clients join the same fresh rooms at once on one instance while the other publishes into
 * them: every joiner receives every event after its {@code joined.seq}, gap-free, through Redis
 * (the periodic catch-up from the store is switched off, so it cannot fill what Redis did not bring).
 * PostgreSQL and Redis.
 */
class ConcurrentJoinIntegrationTests {

	private static final int ROUNDS = 3;

	private static final int ROOMS = 20;

	private static final int JOINERS_PER_ROOM = 20;

	private static TwoInstanceCluster cluster;

	private static GatewayInstance publishing;

	private static GatewayInstance joining;

	@BeforeAll
	static void startTwoInstances() {
		cluster = TwoInstanceCluster.start("gateway.ws.max-connections-per-address=19000",
				"gateway.ws.request-rate=100000", "gateway.ws.request-burst=100000");
		publishing = cluster.a();
		joining = cluster.b();
	}

	@AfterAll
	static void stop() {
		if (cluster != null) {
			cluster.close();
		}
	}

	@Test
	void everyoneJoiningAFreshRoomAtOnceGetsEveryEventAfterTheirJoinedSeq() throws Exception {
		for (int round = 0; round < ROUNDS; round++) {
			List<String> rooms = new ArrayList<>();
			for (int r = 0; r < ROOMS; r++) {
				rooms.add("team-join-" + round + "-" + r);
			}
			List<TestClient> joiners = new ArrayList<>();
			List<TestClient> publishers = new ArrayList<>();
			try {
				for (String room : rooms) {
					publishers.add(publishing.connect("publisher", room));
					for (int j = 0; j < JOINERS_PER_ROOM; j++) {
						joiners.add(joining.connect("joiner-" + j, room));
					}
				}
				AtomicBoolean publish = new AtomicBoolean(true);
				Map<String, Long> lastAcked = new ConcurrentHashMap<>();
				List<Thread> publisherThreads = new ArrayList<>();
				for (int r = 0; r < ROOMS; r++) {
					TestClient publisher = publishers.get(r);
					String room = rooms.get(r);
					Thread thread = new Thread(() -> publishUntilStopped(publisher, room, publish, lastAcked));
					thread.start();
					publisherThreads.add(thread);
				}
				awaitFirstAcks(lastAcked, rooms);

				// Every joiner asks at the same moment, while events keep being published.
				for (int i = 0; i < joiners.size(); i++) {
					joiners.get(i).send("{\"type\":\"join\",\"room\":\"" + rooms.get(i / JOINERS_PER_ROOM) + "\"}");
				}
				long[] joinedSeq = new long[joiners.size()];
				for (int i = 0; i < joiners.size(); i++) {
					JsonNode joined = joiners.get(i).nextMatching(message -> !"event".equals(message.path("type").asString()));
					assertThat(joined.path("type").asString()).as("round %d, joiner %d: %s", round, i, joined).isEqualTo("joined");
					joinedSeq[i] = joined.path("seq").asLong();
				}
				Thread.sleep(300);
				publish.set(false);
				for (Thread thread : publisherThreads) {
					thread.join(Duration.ofSeconds(30).toMillis());
				}

				for (int i = 0; i < joiners.size(); i++) {
					String room = rooms.get(i / JOINERS_PER_ROOM);
					long last = lastAcked.get(room);
					List<Long> expected = LongStream.rangeClosed(joinedSeq[i] + 1, last).boxed().toList();
					assertThat(joiners.get(i).eventSeqsUpTo(room, last))
						.as("round %d, joiner %d of %s, joined at seq %d", round, i, room, joinedSeq[i])
						.containsExactlyElementsOf(expected);
				}
			}
			finally {
				joiners.forEach(TestClient::close);
				publishers.forEach(TestClient::close);
			}
		}
	}

	/** Publishes with a few publishes in flight until told to stop, then waits for the last acks. */
	private static void publishUntilStopped(TestClient publisher, String room, AtomicBoolean publish,
			Map<String, Long> lastAcked) {
		AtomicInteger sent = new AtomicInteger();
		int acked = 0;
		while (publish.get() || acked < sent.get()) {
			while (publish.get() && sent.get() - acked < 4) {
				publisher.send("{\"type\":\"publish\",\"room\":\"" + room + "\",\"event\":\"tick\",\"data\":{},\"ref\":\""
						+ sent.incrementAndGet() + "\"}");
			}
			JsonNode reply = publisher.nextMatching(message -> message.has("ref"));
			acked++;
			if (!"ack".equals(reply.path("type").asString())) {
				throw new AssertionError("publish refused: " + reply);
			}
			lastAcked.merge(room, reply.path("seq").asLong(), Math::max);
		}
	}

	private static void awaitFirstAcks(Map<String, Long> lastAcked, List<String> rooms) throws InterruptedException {
		long deadline = System.nanoTime() + TestClient.TIMEOUT.toNanos();
		while (!lastAcked.keySet().containsAll(rooms) && System.nanoTime() < deadline) {
			Thread.sleep(5);
		}
	}

}
