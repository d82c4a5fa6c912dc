package io.eventgateway.gateway.cluster;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
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
 * Two instances on one PostgreSQL database and one Redis act as one gateway. The periodic catch-up
 * is off and every event must come within {@link DeliveryBound#PER_EVENT} of its ack: Redis delivers.
 */
class ClusterIntegrationTests {

	private static TwoInstanceCluster cluster;

	private static GatewayInstance a;

	private static GatewayInstance b;

	@BeforeAll
	static void startTwoInstances() {
		cluster = TwoInstanceCluster.start();
		a = cluster.a();
		b = cluster.b();
	}

	@AfterAll
	static void stop() {
		if (cluster != null) {
			cluster.close();
		}
	}

	private static Predicate<JsonNode> ofType(String type) {
		return message -> type.equals(message.path("type").asString());
	}

	@Test
	void aClientOnOneInstanceReceivesWhatIsPublishedOnTheOther() {
		try (TestClient onA = a.connect("alice", "team-*"); TestClient onB = b.connect("bob", "team-*")) {
			onA.send("{\"type\":\"join\",\"room\":\"team-cross\"}");
			onA.nextOfType("joined");
			onB.send("{\"type\":\"publish\",\"room\":\"team-cross\",\"event\":\"hello\",\"data\":{\"from\":\"b\"},\"ref\":\"1\"}");
			TestClient.Received ack = onB.nextReceived(ofType("ack"), TestClient.TIMEOUT);
			assertThat(ack.message().path("seq").asLong()).isEqualTo(1);
			JsonNode event = DeliveryBound.awaitEvent(onA, ofType("event"), ack);
			assertThat(event.path("seq").asLong()).isEqualTo(1);
			assertThat(event.path("data").path("from").asString()).isEqualTo("b");

			onB.send("{\"type\":\"publish\",\"room\":\"team-cross\",\"event\":\"typing\",\"data\":{},\"volatile\":true,\"ref\":\"2\"}");
			// A volatile event is never caught up from the store: only Redis brings it.
			JsonNode typing = DeliveryBound.awaitEvent(onA, ofType("event"), onB.nextReceived(ofType("ack"), TestClient.TIMEOUT));
			assertThat(typing.path("event").asString()).isEqualTo("typing");
			assertThat(typing.has("seq")).isFalse();
		}
	}

	@Test
	void anIdRepeatedOnTheOtherInstanceIsADuplicateAndEventsSayWhoPublished() {
		try (TestClient onA = a.connect("alice", "team-*"); TestClient onB = b.connect("b|o%b", "team-*")) {
			onA.send("{\"type\":\"join\",\"room\":\"team-ids\"}");
			onA.nextOfType("joined");
			onB.send("{\"type\":\"publish\",\"room\":\"team-ids\",\"event\":\"e\",\"data\":1,\"id\":\"m-1\",\"ref\":\"1\"}");
			TestClient.Received ack = onB.nextReceived(ofType("ack"), TestClient.TIMEOUT);
			long seq = ack.message().path("seq").asLong();
			JsonNode event = DeliveryBound.awaitEvent(onA, ofType("event"), ack);
			assertThat(event.path("id").asString()).isEqualTo("m-1");
			assertThat(event.path("from").asString()).as("any sub travels through Redis intact").isEqualTo("b|o%b");
			try (TestClient again = a.connect("b|o%b", "team-*")) {
				again.send("{\"type\":\"publish\",\"room\":\"team-ids\",\"event\":\"e\",\"data\":2,\"id\":\"m-1\",\"ref\":\"2\"}");
				JsonNode duplicate = again.nextOfType("ack");
				assertThat(duplicate.path("seq").asLong()).isEqualTo(seq);
				assertThat(duplicate.path("duplicate").asBoolean()).isTrue();
			}
			onB.send("{\"type\":\"publish\",\"room\":\"team-ids\",\"event\":\"e\",\"data\":3,\"id\":\"m-2\",\"ref\":\"3\"}");
			JsonNode next = DeliveryBound.awaitEvent(onA, ofType("event"), onB.nextReceived(ofType("ack"), TestClient.TIMEOUT));
			assertThat(next.path("id").asString()).as("the duplicate was never delivered").isEqualTo("m-2");
			assertThat(next.path("seq").asLong()).isEqualTo(seq + 1);
		}
	}

	@Test
	void eightPublishersOverBothInstancesMakeOneGapFreeSequenceThatEverySubscriberSees() throws Exception {
		String room = "team-eight";
		int perPublisher = 60;
		int total = 8 * perPublisher;
		List<TestClient> subscribers = List.of(a.connect("s1", room), a.connect("s2", room), b.connect("s3", room),
				b.connect("s4", room));
		try {
			for (TestClient subscriber : subscribers) {
				subscriber.send("{\"type\":\"join\",\"room\":\"" + room + "\"}");
				subscriber.nextOfType("joined");
			}
			ExecutorService pool = Executors.newFixedThreadPool(8);
			List<Future<Integer>> acked = new ArrayList<>();
			AtomicInteger unavailable = new AtomicInteger();
			Map<Long, Long> ackedAt = new ConcurrentHashMap<>();
			for (int p = 0; p < 8; p++) {
				GatewayInstance instance = (p % 2 == 0) ? a : b;
				String tag = "p" + p;
				acked.add(pool.submit(() -> {
					try (TestClient publisher = instance.connect(tag, room)) {
						return Publishing.publish(publisher, room, tag, perPublisher, 0, unavailable, ackedAt);
					}
				}));
			}
			for (Future<Integer> count : acked) {
				assertThat(count.get()).isEqualTo(perPublisher);
			}
			pool.shutdown();
			assertThat(unavailable.get()).isZero();

			List<Long> expected = LongStream.rangeClosed(1, total).boxed().toList();
			long lastAck = DeliveryBound.lastAck(ackedAt);
			for (TestClient subscriber : subscribers) {
				List<TestClient.Received> arrivals = subscriber.eventArrivals(room, total, DeliveryBound.untilBoundOf(lastAck));
				assertThat(arrivals).extracting(arrival -> arrival.message().path("seq").asLong())
					.containsExactlyElementsOf(expected);
				DeliveryBound.assertEachWithin(ackedAt, arrivals);
			}
		}
		finally {
			subscribers.forEach(TestClient::close);
		}
	}

}
