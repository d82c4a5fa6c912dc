package io.eventgateway.gateway.cluster;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
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

/** Two instances on one PostgreSQL database and one Redis act as one gateway. */
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

	@Test
	void aClientOnOneInstanceReceivesWhatIsPublishedOnTheOther() {
		try (TestClient onA = a.connect("alice", "team-*"); TestClient onB = b.connect("bob", "team-*")) {
			onA.send("{\"type\":\"join\",\"room\":\"team-cross\"}");
			onA.nextOfType("joined");
			onB.send("{\"type\":\"publish\",\"room\":\"team-cross\",\"event\":\"hello\",\"data\":{\"from\":\"b\"},\"ref\":\"1\"}");
			assertThat(onB.nextOfType("ack").path("seq").asLong()).isEqualTo(1);
			JsonNode event = onA.nextOfType("event");
			assertThat(event.path("seq").asLong()).isEqualTo(1);
			assertThat(event.path("data").path("from").asString()).isEqualTo("b");

			onB.send("{\"type\":\"publish\",\"room\":\"team-cross\",\"event\":\"typing\",\"data\":{},\"volatile\":true}");
			JsonNode typing = onA.nextOfType("event");
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
			long seq = onB.nextOfType("ack").path("seq").asLong();
			JsonNode event = onA.nextOfType("event");
			assertThat(event.path("id").asString()).isEqualTo("m-1");
			assertThat(event.path("from").asString()).as("any sub travels through Redis intact").isEqualTo("b|o%b");
			try (TestClient again = a.connect("b|o%b", "team-*")) {
				again.send("{\"type\":\"publish\",\"room\":\"team-ids\",\"event\":\"e\",\"data\":2,\"id\":\"m-1\",\"ref\":\"2\"}");
				JsonNode ack = again.nextOfType("ack");
				assertThat(ack.path("seq").asLong()).isEqualTo(seq);
				assertThat(ack.path("duplicate").asBoolean()).isTrue();
			}
			onB.send("{\"type\":\"publish\",\"room\":\"team-ids\",\"event\":\"e\",\"data\":3,\"id\":\"m-2\",\"ref\":\"3\"}");
			JsonNode next = onA.nextOfType("event");
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
			for (int p = 0; p < 8; p++) {
				GatewayInstance instance = (p % 2 == 0) ? a : b;
				String tag = "p" + p;
				acked.add(pool.submit(() -> {
					try (TestClient publisher = instance.connect(tag, room)) {
						return Publishing.publish(publisher, room, tag, perPublisher, 0, unavailable);
					}
				}));
			}
			for (Future<Integer> count : acked) {
				assertThat(count.get()).isEqualTo(perPublisher);
			}
			pool.shutdown();
			assertThat(unavailable.get()).isZero();

			List<Long> expected = LongStream.rangeClosed(1, total).boxed().toList();
			for (TestClient subscriber : subscribers) {
				assertThat(subscriber.eventSeqs(room, total)).containsExactlyElementsOf(expected);
			}
		}
		finally {
			subscribers.forEach(TestClient::close);
		}
	}

}
