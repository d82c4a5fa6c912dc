package io.eventgateway.gateway.websocket;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.LongStream;

import io.eventgateway.gateway.testing.TestClient;
import io.eventgateway.gateway.testing.TestTokens;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/** The wire contract of section 1, through a real WebSocket client against the running gateway. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { TestTokens.SECRET_PROPERTY,
				// Tokens that expire in 2 s close their connection then, not 30 s later.
				"gateway.auth.clock-skew=0s", "gateway.ws.bad-input-limit=5", "gateway.ws.max-data-size=16KB",
				// Sweeps far apart: no heartbeat interferes with these tests.
				"gateway.ws.ping-interval=10m", "gateway.ws.idle-timeout=20m" })
class WebSocketProtocolIntegrationTests {

	@LocalServerPort
	int port;

	private TestClient connect(String user, String... rooms) {
		return TestClient.connect(this.port, TestTokens.forRooms(user, rooms));
	}

	private static JsonNode join(TestClient client, String room) {
		client.send("{\"type\":\"join\",\"room\":\"" + room + "\",\"ref\":\"j-" + room + "\"}");
		JsonNode joined = client.nextOfType("joined");
		assertThat(joined.path("room").asString()).isEqualTo(room);
		return joined;
	}

	@Test
	void durablePublishReachesEveryMemberAndIsAcknowledgedWithItsSeq() {
		try (TestClient alice = connect("alice", "team-*"); TestClient bob = connect("bob", "team-1")) {
			JsonNode joined = join(alice, "team-1");
			assertThat(joined.path("ref").asString()).isEqualTo("j-team-1");
			assertThat(joined.path("seq").asLong()).isZero();
			assertThat(joined.path("epoch").asString()).isNotBlank();
			join(bob, "team-1");

			alice.send("{\"type\":\"publish\",\"room\":\"team-1\",\"event\":\"chat.message\",\"data\":{\"text\":\"hi\"},\"ref\":\"4\"}");

			JsonNode received = bob.nextOfType("event");
			assertThat(received.path("room").asString()).isEqualTo("team-1");
			assertThat(received.path("seq").asLong()).isEqualTo(1);
			assertThat(received.path("event").asString()).isEqualTo("chat.message");
			assertThat(received.path("data").path("text").asString()).isEqualTo("hi");
			assertThat(received.path("ts").asLong()).isPositive();
			assertThat(alice.nextOfType("event").path("seq").asLong()).isEqualTo(1);
			JsonNode ack = alice.nextOfType("ack");
			assertThat(ack.path("ref").asString()).isEqualTo("4");
			assertThat(ack.path("room").asString()).isEqualTo("team-1");
			assertThat(ack.path("seq").asLong()).isEqualTo(1);
		}
	}

	@Test
	void volatileEventsHaveNoSeqAndAreAcknowledgedOnlyWithARef() {
		try (TestClient alice = connect("alice", "team-*"); TestClient bob = connect("bob", "team-*")) {
			join(bob, "team-2");
			alice.send("{\"type\":\"publish\",\"room\":\"team-2\",\"event\":\"typing\",\"data\":{},\"volatile\":true}");
			JsonNode typing = bob.nextOfType("event");
			assertThat(typing.path("event").asString()).isEqualTo("typing");
			assertThat(typing.has("seq")).isFalse();

			alice.send("{\"type\":\"publish\",\"room\":\"team-2\",\"event\":\"typing\",\"data\":{},\"volatile\":true,\"ref\":\"v\"}");
			JsonNode ack = alice.next();
			assertThat(ack.path("type").asString()).isEqualTo("ack");
			assertThat(ack.path("ref").asString()).isEqualTo("v");
			assertThat(ack.has("seq")).isFalse();
			assertThat(alice.poll(Duration.ofMillis(200))).as("no ack for the volatile publish without ref").isNull();
		}
	}

	@Test
	void aClientMayPublishWithoutJoiningAndGetsOnlyItsAck() {
		try (TestClient member = connect("m", "team-3"); TestClient outsider = connect("o", "team-3")) {
			join(member, "team-3");
			outsider.send("{\"type\":\"publish\",\"room\":\"team-3\",\"event\":\"note\",\"data\":1,\"ref\":\"p\"}");
			assertThat(member.nextOfType("event").path("data").asInt()).isEqualTo(1);
			JsonNode reply = outsider.next();
			assertThat(reply.path("type").asString()).isEqualTo("ack");
			assertThat(outsider.poll(Duration.ofMillis(200))).isNull();
		}
	}

	@Test
	void pingIsAnsweredAndLeaveStopsDelivery() {
		try (TestClient client = connect("c", "team-4"); TestClient publisher = connect("p", "team-4")) {
			client.send("{\"type\":\"ping\",\"ref\":\"5\"}");
			JsonNode pong = client.next();
			assertThat(pong.path("type").asString()).isEqualTo("pong");
			assertThat(pong.path("ref").asString()).isEqualTo("5");

			join(client, "team-4");
			client.send("{\"type\":\"leave\",\"room\":\"team-4\",\"ref\":\"3\"}");
			JsonNode left = client.next();
			assertThat(left.path("type").asString()).isEqualTo("left");
			assertThat(left.path("ref").asString()).isEqualTo("3");
			publisher.send("{\"type\":\"publish\",\"room\":\"team-4\",\"event\":\"after.leave\",\"data\":null,\"ref\":\"x\"}");
			publisher.nextOfType("ack");
			client.send("{\"type\":\"ping\",\"ref\":\"after\"}");
			assertThat(client.next().path("type").asString()).as("nothing but the pong after leaving").isEqualTo("pong");
		}
	}

	@Test
	void badInputIsAnsweredWithErrorsAndTheConnectionKeepsWorking() {
		try (TestClient client = connect("c", "team-*")) {
			client.send("not json\n{\"type\":\"dance\",\"ref\":\"1\"}\n{\"type\":\"join\",\"room\":\"bad room\",\"ref\":\"2\"}");
			assertError(client.next(), null, "bad_request");
			assertError(client.next(), "1", "bad_request");
			assertError(client.next(), "2", "bad_request");
			client.send("{\"type\":\"publish\",\"room\":\"team-5\",\"ref\":\"3\"}");
			assertError(client.next(), "3", "bad_request");
			client.send("{\"type\":\"publish\",\"room\":\"team-5\",\"event\":\"x\",\"data\":\"" + "a".repeat(17_000) + "\",\"ref\":\"4\"}");
			assertError(client.next(), "4", "too_large");
			client.send("{\"type\":\"ping\",\"ref\":\"ok\"}");
			assertThat(client.next().path("type").asString()).isEqualTo("pong");
		}
	}

	@Test
	void roomsOutsideTheTokenAreForbidden() {
		try (TestClient client = connect("c", "team-*")) {
			client.send("{\"type\":\"join\",\"room\":\"ops-1\",\"ref\":\"1\"}");
			JsonNode error = client.next();
			assertError(error, "1", "forbidden");
			assertThat(error.path("message").asString()).contains("ops-1");
			client.send("{\"type\":\"publish\",\"room\":\"ops-1\",\"event\":\"x\",\"data\":{},\"ref\":\"2\"}");
			assertError(client.next(), "2", "forbidden");
		}
	}

	@Test
	void aReadOnlyRoomIsJoinedAndReadButPublishingThereIsForbidden() {
		String reader = TestTokens.withReadOnly("reader", List.of("team-own"), List.of("news-*"));
		try (TestClient writer = connect("writer", "news-*"); TestClient client = TestClient.connect(this.port, reader)) {
			client.send("{\"type\":\"join\",\"room\":\"news-1\",\"ref\":\"j\"}");
			assertThat(client.nextOfType("joined").path("room").asString()).isEqualTo("news-1");
			client.send("{\"type\":\"publish\",\"room\":\"news-1\",\"event\":\"x\",\"data\":{},\"ref\":\"p\"}");
			JsonNode refused = client.next();
			assertError(refused, "p", "forbidden");
			assertThat(refused.path("message").asString()).contains("read-only");
			writer.send("{\"type\":\"publish\",\"room\":\"news-1\",\"event\":\"headline\",\"data\":1,\"ref\":\"w\"}");
			JsonNode event = client.nextOfType("event");
			assertThat(event.path("event").asString()).as("nothing of the refused publish was stored").isEqualTo("headline");
			assertThat(event.path("seq").asLong()).isEqualTo(1);
			client.send("{\"type\":\"publish\",\"room\":\"team-own\",\"event\":\"x\",\"data\":{},\"ref\":\"o\"}");
			assertThat(client.nextOfType("ack").path("ref").asString()).isEqualTo("o");
		}
	}

	@Test
	void aRepeatedIdIsAcknowledgedAsADuplicateAndDeliveredOnceWithItsIdAndPublisher() {
		try (TestClient member = connect("member", "team-*"); TestClient publisher = connect("pub", "team-*")) {
			member.send("{\"type\":\"join\",\"room\":\"team-idem\"}");
			member.nextOfType("joined");
			publisher.send("{\"type\":\"publish\",\"room\":\"team-idem\",\"event\":\"e\",\"data\":1,\"id\":\"c7-0001\",\"ref\":\"1\"}");
			JsonNode first = publisher.nextOfType("ack");
			assertThat(first.has("duplicate")).isFalse();
			publisher.send("{\"type\":\"publish\",\"room\":\"team-idem\",\"event\":\"e\",\"data\":1,\"id\":\"c7-0001\",\"ref\":\"2\"}");
			JsonNode repeat = publisher.nextOfType("ack");
			assertThat(repeat.path("ref").asString()).isEqualTo("2");
			assertThat(repeat.path("seq").asLong()).isEqualTo(first.path("seq").asLong());
			assertThat(repeat.path("duplicate").asBoolean()).isTrue();
			publisher.send("{\"type\":\"publish\",\"room\":\"team-idem\",\"event\":\"e\",\"data\":2,\"ref\":\"3\"}");
			publisher.nextOfType("ack");
			JsonNode event = member.nextOfType("event");
			assertThat(event.path("id").asString()).isEqualTo("c7-0001");
			assertThat(event.path("from").asString()).isEqualTo("pub");
			JsonNode next = member.nextOfType("event");
			assertThat(next.path("seq").asLong()).as("the duplicate was not delivered").isEqualTo(first.path("seq").asLong() + 1);
			assertThat(next.has("id")).isFalse();
			publisher.send("{\"type\":\"publish\",\"room\":\"team-idem\",\"event\":\"e\",\"data\":1,\"id\":\"bad id!\",\"ref\":\"4\"}");
			assertError(publisher.nextOfType("error"), "4", "bad_request");
		}
	}

	@Test
	void taskEventsFromAClientAreForbiddenAndNeverStored() {
		try (TestClient member = connect("member", "team-*"); TestClient forger = connect("forger", "team-*")) {
			member.send("{\"type\":\"join\",\"room\":\"team-forge\",\"ref\":\"1\"}");
			member.nextOfType("joined");
			forger.send("{\"type\":\"publish\",\"room\":\"team-forge\",\"event\":\"task.updated\",\"data\":{},\"ref\":\"1\"}");
			JsonNode error = forger.next();
			assertError(error, "1", "forbidden");
			assertThat(error.path("message").asString()).contains("task.updated");
			forger.send("{\"type\":\"publish\",\"room\":\"team-forge\",\"event\":\"task.deleted\",\"volatile\":true,\"data\":{},\"ref\":\"2\"}");
			assertError(forger.next(), "2", "forbidden");
			forger.send("{\"type\":\"publish\",\"room\":\"team-forge\",\"event\":\"chat.message\",\"data\":{},\"ref\":\"3\"}");
			assertThat(forger.nextOfType("ack").path("seq").asLong()).isEqualTo(1);
			JsonNode delivered = member.nextOfType("event");
			assertThat(delivered.path("event").asString()).as("nothing forged was delivered first").isEqualTo("chat.message");
			assertThat(delivered.path("seq").asLong()).isEqualTo(1);
		}
	}

	@Test
	void aRequestAfterTheTokenExpiredIsUnauthorizedAndClosesWith1008() throws Exception {
		try (TestClient client = TestClient.connect(this.port, TestTokens.expiringIn(Duration.ofSeconds(2), "c", "team-*"))) {
			Thread.sleep(3_100);
			client.send("{\"type\":\"ping\",\"ref\":\"late\"}");
			assertError(client.next(), "late", "unauthorized");
			assertThat(client.awaitClose().code()).isEqualTo(1008);
		}
	}

	@Test
	void repeatedBadInputClosesWith1008AndOnlyThatConnection() {
		try (TestClient bystander = connect("b", "team-*"); TestClient client = connect("c", "team-*")) {
			for (int i = 0; i < 6; i++) {
				client.send("{broken");
			}
			assertThat(client.awaitClose().code()).isEqualTo(1008);
			assertServed(bystander);
		}
	}

	@Test
	void repeatedBinaryFramesAreBadRequestsAndCloseWith1008() {
		try (TestClient bystander = connect("b", "team-*"); TestClient client = connect("c", "team-*")) {
			client.sendBinary(new byte[] { (byte) 0xC3, 0x28, (byte) 0xFF });
			assertError(client.next(), null, "bad_request");
			for (int i = 0; i < 5; i++) {
				client.sendBinary(new byte[] { (byte) 0xED, (byte) 0xA0, (byte) 0x80 });
			}
			assertThat(client.awaitClose().code()).isEqualTo(1008);
			assertServed(bystander);
		}
	}

	/** A well-behaved client beside one that misbehaved is still answered. */
	private static void assertServed(TestClient bystander) {
		bystander.send("{\"type\":\"ping\",\"ref\":\"still\"}");
		assertThat(bystander.nextOfType("pong").path("ref").asString()).isEqualTo("still");
		assertThat(bystander.isClosed()).isFalse();
	}

	@Test
	void requestsTheTokenDoesNotAllowCountAsBadInput() {
		try (TestClient client = connect("c", "team-*")) {
			for (int i = 0; i < 6; i++) {
				client.send("{\"type\":\"join\",\"room\":\"ops-" + i + "\"}");
			}
			assertThat(client.awaitClose().code()).isEqualTo(1008);
		}
	}

	@Test
	void aFrameOfMoreRequestsThanAllowedIsRefusedWholeAndTheNextIsHandled() {
		try (TestClient client = connect("c", "team-*")) {
			client.send("{\"type\":\"ping\",\"ref\":\"x\"}\n".repeat(101));
			JsonNode refused = client.next();
			assertError(refused, null, "too_large");
			assertThat(refused.path("message").asString()).contains("at most 100 requests");
			client.send("{\"type\":\"ping\",\"ref\":\"y\"}\n".repeat(100));
			for (int i = 0; i < 100; i++) {
				JsonNode pong = client.next();
				assertThat(pong.path("ref").asString()).as("nothing of the refused frame was handled").isEqualTo("y");
			}
		}
	}

	@Test
	void aConfiguredDataLimitCountsUtf8Bytes() {
		try (TestClient client = connect("c", "team-*")) {
			// 9,000 characters, 18,000 bytes: over 16 KB only when counted as UTF-8 travels.
			client.send("{\"type\":\"publish\",\"room\":\"team-utf\",\"event\":\"x\",\"data\":\"" + "é".repeat(9_000) + "\",\"ref\":\"big\"}");
			assertError(client.next(), "big", "too_large");
			client.send("{\"type\":\"publish\",\"room\":\"team-utf\",\"event\":\"x\",\"data\":\"" + "é".repeat(8_000) + "\",\"ref\":\"fits\"}");
			assertThat(client.nextOfType("ack").path("ref").asString()).isEqualTo("fits");
		}
	}

	@Test
	void aFrameOverTheLimitClosesWith1009AndOnlyThatConnection() {
		try (TestClient bystander = connect("b", "team-*"); TestClient client = connect("c", "team-*")) {
			client.send("{\"type\":\"ping\",\"pad\":\"" + "x".repeat(70 * 1024) + "\"}");
			assertThat(client.awaitClose().code()).isEqualTo(1009);
			assertServed(bystander);
		}
	}

	@Test
	void severalMessagesInOneFrameAreAllHandled() {
		try (TestClient client = connect("c", "team-*")) {
			client.send("{\"type\":\"ping\",\"ref\":\"a\"}\n{\"type\":\"ping\",\"ref\":\"b\"}\n\n{\"type\":\"ping\",\"ref\":\"c\"}\n");
			assertThat(List.of(client.next(), client.next(), client.next()))
				.extracting(message -> message.path("ref").asString())
				.containsExactly("a", "b", "c");
		}
	}

	@Test
	void recoveryWhileFourPublishersPublishGivesEverySubscriberEverySeqOnceInOrder() throws Exception {
		String room = "team-recovery";
		int perPublisher = 150;
		int total = 4 * perPublisher;
		try (TestClient steady = connect("steady", room); TestClient lateJoiner = connect("late", room);
				TestClient reconnecting = connect("again", room)) {
			join(steady, room);
			JsonNode firstJoin = join(reconnecting, room);
			String epoch = firstJoin.path("epoch").asString();

			ExecutorService publishers = Executors.newFixedThreadPool(4);
			List<Future<Integer>> acks = new ArrayList<>();
			for (int p = 0; p < 4; p++) {
				int publisherId = p;
				acks.add(publishers.submit(() -> publish(room, publisherId, perPublisher)));
			}

			// One subscriber drops after some events and comes back with since/epoch while publishing goes on.
			List<Long> beforeDrop = reconnecting.eventSeqs(room, 40);
			reconnecting.close();
			long lastSeen = beforeDrop.get(beforeDrop.size() - 1);
			List<Long> afterReconnect;
			try (TestClient back = connect("again", room)) {
				back.send("{\"type\":\"join\",\"room\":\"" + room + "\",\"since\":" + lastSeen + ",\"epoch\":\"" + epoch + "\",\"ref\":\"r\"}");
				List<Long> replayed = new ArrayList<>();
				JsonNode message;
				while (!"joined".equals((message = back.next()).path("type").asString())) {
					replayed.add(message.path("seq").asLong());
				}
				assertThat(message.path("recovered").asBoolean()).isTrue();
				assertThat(message.path("seq").asLong()).isEqualTo(lastSeen + replayed.size());
				afterReconnect = new ArrayList<>(replayed);
				afterReconnect.addAll(back.eventSeqs(room, (int) (total - lastSeen - replayed.size())));
			}

			// Another joins late asking for everything since 0.
			lateJoiner.send("{\"type\":\"join\",\"room\":\"" + room + "\",\"since\":0,\"epoch\":\"" + epoch + "\"}");
			List<Long> lateSeqs = lateJoiner.eventSeqs(room, total);

			for (Future<Integer> ack : acks) {
				assertThat(ack.get()).isEqualTo(perPublisher);
			}
			publishers.shutdown();

			List<Long> expected = LongStream.rangeClosed(1, total).boxed().toList();
			assertThat(steady.eventSeqs(room, total)).containsExactlyElementsOf(expected);
			assertThat(lateSeqs).containsExactlyElementsOf(expected);
			List<Long> reconnectingSaw = new ArrayList<>(beforeDrop);
			reconnectingSaw.addAll(afterReconnect);
			assertThat(reconnectingSaw).containsExactlyElementsOf(expected);
			assertThat(steady.poll(Duration.ofMillis(300))).as("no duplicate after the last seq").isNull();
		}
	}

	@Test
	void sinceBeyondTheNewestSeqOrAnotherEpochIsNotRecovered() {
		try (TestClient client = connect("c", "team-*")) {
			client.send("{\"type\":\"join\",\"room\":\"team-epoch\",\"since\":5,\"ref\":\"a\"}");
			JsonNode beyond = client.nextOfType("joined");
			assertThat(beyond.path("recovered").asBoolean()).isFalse();
			assertThat(beyond.path("seq").asLong()).isZero();
			client.send("{\"type\":\"leave\",\"room\":\"team-epoch\"}");
			client.nextOfType("left");
			client.send("{\"type\":\"join\",\"room\":\"team-epoch\",\"since\":0,\"epoch\":\"another-lineage\",\"ref\":\"b\"}");
			assertThat(client.nextOfType("joined").path("recovered").asBoolean()).isFalse();
		}
	}

	private int publish(String room, int publisherId, int count) throws InterruptedException {
		try (TestClient publisher = connect("publisher-" + publisherId, room)) {
			for (int i = 0; i < count; i++) {
				publisher.send("{\"type\":\"publish\",\"room\":\"" + room + "\",\"event\":\"tick\",\"data\":{\"p\":"
						+ publisherId + ",\"i\":" + i + "},\"ref\":\"" + i + "\"}");
				if (i % 10 == 9) {
					Thread.sleep(5);
				}
			}
			int acked = 0;
			while (acked < count) {
				JsonNode reply = publisher.next();
				assertThat(reply.path("type").asString()).as(reply.toString()).isEqualTo("ack");
				acked++;
			}
			return acked;
		}
	}

	static void assertError(JsonNode message, String ref, String code) {
		assertThat(message.path("type").asString()).as(message.toString()).isEqualTo("error");
		assertThat(message.path("code").asString()).as(message.toString()).isEqualTo(code);
		if (ref == null) {
			assertThat(message.has("ref")).isFalse();
		}
		else {
			assertThat(message.path("ref").asString()).isEqualTo(ref);
		}
		assertThat(message.path("message").asString()).isNotBlank();
	}

}
