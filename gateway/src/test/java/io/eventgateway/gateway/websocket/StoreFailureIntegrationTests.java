package io.eventgateway.gateway.websocket;

import io.eventgateway.gateway.testing.TestClient;
import io.eventgateway.gateway.testing.TestTokens;
import io.r2dbc.pool.ConnectionPool;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.r2dbc.core.DatabaseClient;
import reactor.core.scheduler.Schedulers;
import tools.jackson.databind.JsonNode;

import static io.eventgateway.gateway.websocket.WebSocketProtocolIntegrationTests.assertError;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A store that fails: a durable publish is answered {@code unavailable} and never acknowledged,
 * volatile traffic goes on, and once the store is back {@code seq} continues without a gap.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { TestTokens.SECRET_PROPERTY, "gateway.history.retain-events=5" })
class StoreFailureIntegrationTests {

	@LocalServerPort
	int port;

	@Autowired
	ConnectionPool storeConnectionPool;

	private void sql(String statement) {
		DatabaseClient.create(this.storeConnectionPool).sql(statement).then().subscribeOn(Schedulers.boundedElastic()).block();
	}

	@Test
	void aSinceOutsideTheRetentionWindowIsNotRecoveredAndNothingIsReplayed() {
		String room = "team-retention";
		try (TestClient publisher = TestClient.connect(this.port, TestTokens.forRooms("p", "team-*"));
				TestClient late = TestClient.connect(this.port, TestTokens.forRooms("l", "team-*"))) {
			for (int i = 1; i <= 10; i++) {
				publisher.send("{\"type\":\"publish\",\"room\":\"" + room + "\",\"event\":\"e\",\"data\":" + i + "}");
				publisher.nextOfType("ack");
			}
			late.send("{\"type\":\"join\",\"room\":\"" + room + "\",\"since\":2,\"ref\":\"old\"}");
			JsonNode tooOld = late.next();
			assertThat(tooOld.path("type").asString()).as("no partial replay before joined").isEqualTo("joined");
			assertThat(tooOld.path("recovered").asBoolean()).isFalse();
			assertThat(tooOld.path("seq").asLong()).isEqualTo(10);

			late.send("{\"type\":\"leave\",\"room\":\"" + room + "\"}");
			late.nextOfType("left");
			late.send("{\"type\":\"join\",\"room\":\"" + room + "\",\"since\":6,\"ref\":\"recent\"}");
			assertThat(late.eventSeqs(room, 4)).containsExactly(7L, 8L, 9L, 10L);
			assertThat(late.next().path("recovered").asBoolean()).isTrue();
		}
	}

	@Test
	void durablePublishesAreUnavailableWhileTheStoreFailsAndSeqStaysGapFree() {
		String room = "team-store";
		try (TestClient member = TestClient.connect(this.port, TestTokens.forRooms("m", "team-*"));
				TestClient publisher = TestClient.connect(this.port, TestTokens.forRooms("p", "team-*"))) {
			member.send("{\"type\":\"join\",\"room\":\"" + room + "\"}");
			member.nextOfType("joined");
			publisher.send("{\"type\":\"publish\",\"room\":\"" + room + "\",\"event\":\"before\",\"data\":1,\"ref\":\"1\"}");
			assertThat(publisher.nextOfType("ack").path("seq").asLong()).isEqualTo(1);

			sql("ALTER TABLE room_events RENAME TO room_events_away");
			try {
				publisher.send("{\"type\":\"publish\",\"room\":\"" + room + "\",\"event\":\"during\",\"data\":2,\"ref\":\"2\"}");
				assertError(publisher.next(), "2", "unavailable");
				publisher.send("{\"type\":\"publish\",\"room\":\"" + room + "\",\"event\":\"typing\",\"data\":{},\"volatile\":true,\"ref\":\"v\"}");
				assertThat(publisher.next().path("type").asString()).isEqualTo("ack");
			}
			finally {
				sql("ALTER TABLE room_events_away RENAME TO room_events");
			}

			publisher.send("{\"type\":\"publish\",\"room\":\"" + room + "\",\"event\":\"after\",\"data\":3,\"ref\":\"3\"}");
			assertThat(publisher.nextOfType("ack").path("seq").asLong()).as("the failed publish took no seq").isEqualTo(2);

			assertThat(member.nextOfType("event").path("event").asString()).isEqualTo("before");
			assertThat(member.nextOfType("event").path("event").asString()).isEqualTo("typing");
			JsonNode after = member.nextOfType("event");
			assertThat(after.path("event").asString()).isEqualTo("after");
			assertThat(after.path("seq").asLong()).isEqualTo(2);
		}
	}

}
