package io.eventgateway.gateway.websocket;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import io.eventgateway.gateway.auth.TokenService;
import io.eventgateway.gateway.testing.TestClient;
import io.eventgateway.gateway.testing.TestTokens;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

import static io.eventgateway.gateway.websocket.WebSocketProtocolIntegrationTests.assertError;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Handshake refusals, per-connection budgets and heartbeats, with small limits to reach them. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { TestTokens.SECRET_PROPERTY,
				// Tokens that expire in 2 s close their connection then, not 30 s later.
				"gateway.auth.clock-skew=0s", "gateway.ws.max-connections=3",
				"gateway.ws.max-connections-per-address=2", "gateway.ws.retry-after=7s", "gateway.ws.request-rate=5",
				"gateway.ws.request-burst=5", "gateway.ws.max-rooms-per-connection=2",
				"gateway.ws.ping-interval=300ms", "gateway.ws.idle-timeout=1500ms", "gateway.ws.expiring-notice=2s" })
@ExtendWith(OutputCaptureExtension.class)
class ConnectionLimitsIntegrationTests {

	@LocalServerPort
	int port;

	@Autowired
	ConnectionLimiter limiter;

	private String url() {
		return "ws://127.0.0.1:" + this.port + "/ws";
	}

	@BeforeEach
	void everyEarlierConnectionIsGone() {
		await().atMost(Duration.ofSeconds(10)).until(() -> this.limiter.total() == 0);
	}

	@Test
	void aMissingBadlySignedOrExpiredTokenIsRefusedWith401BeforeTheUpgrade() {
		TestClient.Refusal missing = TestClient.refusal(url(), null);
		assertThat(missing.status()).isEqualTo(401);
		assertThat(missing.contentType()).isEqualTo("application/problem+json");
		JsonNode problem = missing.problem();
		assertThat(problem.path("type").asString()).endsWith(":unauthorized");
		assertThat(problem.path("status").asInt()).isEqualTo(401);
		assertThat(problem.path("detail").asString()).contains("missing");

		String forged = TestTokens.signedWith("another-secret-0123456789-0123456789-xyz", "mallory", "*");
		assertThat(TestClient.refusal(url(), "Bearer " + forged).status()).isEqualTo(401);

		String expired = new TokenService(TestTokens.SECRET).issue("late", List.of("*"), Instant.now().minusSeconds(60));
		TestClient.Refusal refusal = TestClient.refusal(url(), "Bearer " + expired);
		assertThat(refusal.status()).isEqualTo(401);
		assertThat(refusal.problem().path("detail").asString()).contains("expired");

		assertThat(TestClient.refusal(url(), "Bearer not.a.jwt").status()).isEqualTo(401);
		assertThat(this.limiter.total()).isZero();
	}

	@Test
	void aQueryThatCannotBeReadIsAnUnauthorizedHandshakeAndItsTokenIsNotLogged(CapturedOutput output) {
		String token = TestTokens.forRooms("browser", "team-*");
		TestClient.Refusal refusal = TestClient.refusal(url() + "?token=" + token + "&broken=%zz", null);
		assertThat(refusal.status()).isEqualTo(401);
		assertThat(output.getAll()).doesNotContain(token);
		assertThat(this.limiter.total()).isZero();
	}

	@Test
	void aTokenInTheSubprotocolListIsAcceptedAndEventsV1Selected(CapturedOutput output) {
		String token = TestTokens.forRooms("browser", "team-*");
		try (TestClient client = TestClient.connectWithProtocols(this.port, "events.v1,bearer." + token)) {
			assertThat(client.selectedProtocol()).isEqualTo("events.v1");
			client.send("{\"type\":\"ping\",\"ref\":\"p\"}");
			assertThat(client.next().path("type").asString()).isEqualTo("pong");
		}
		assertThat(output.getAll()).doesNotContain(token);
	}

	@Test
	void aTokenInTheQueryIsAccepted() {
		try (TestClient client = TestClient.connectWithQueryToken(this.port, TestTokens.forRooms("browser", "team-*"))) {
			client.send("{\"type\":\"ping\",\"ref\":\"q\"}");
			assertThat(client.next().path("type").asString()).isEqualTo("pong");
		}
	}

	@Test
	void connectionsBeyondTheLimitsAreRefusedWithRetryAfter() {
		String token = TestTokens.forRooms("u", "team-*");
		try (TestClient first = TestClient.connect(this.port, token, "127.0.0.1", false);
				TestClient second = TestClient.connect(this.port, token, "127.0.0.1", false)) {
			TestClient.Refusal perAddress = TestClient.refusal(url(), "Bearer " + token);
			assertThat(perAddress.status()).isEqualTo(429);
			assertThat(perAddress.retryAfter()).isEqualTo("7");
			assertThat(perAddress.problem().path("type").asString()).endsWith(":too-many-connections");

			try (TestClient third = TestClient.connect(this.port, token, "127.0.0.2", false)) {
				third.send("{\"type\":\"ping\"}");
				assertThat(third.next().path("type").asString()).isEqualTo("pong");
				// The refusal comes from 127.0.0.1 again, but the instance is full first.
				TestClient.Refusal full = TestClient.refusal(url(), "Bearer " + token);
				assertThat(full.status()).isEqualTo(503);
				assertThat(full.retryAfter()).isEqualTo("7");
			}
		}
		await().atMost(Duration.ofSeconds(10)).until(() -> this.limiter.total() == 0);
		try (TestClient again = TestClient.connect(this.port, token)) {
			again.send("{\"type\":\"ping\"}");
			assertThat(again.next().path("type").asString()).as("slots are given back").isEqualTo("pong");
		}
	}

	@Test
	void publishesBeyondTheRateAreRateLimited() {
		try (TestClient client = TestClient.connect(this.port, TestTokens.forRooms("u", "team-*"))) {
			StringBuilder frame = new StringBuilder();
			for (int i = 0; i < 10; i++) {
				frame.append("{\"type\":\"publish\",\"room\":\"team-rate\",\"event\":\"e\",\"data\":").append(i)
					.append(",\"ref\":\"").append(i).append("\"}\n");
			}
			client.send(frame.toString());
			int acks = 0;
			int limited = 0;
			for (int i = 0; i < 10; i++) {
				JsonNode reply = client.next();
				if ("ack".equals(reply.path("type").asString())) {
					acks++;
				}
				else {
					assertError(reply, reply.path("ref").asString(), "rate_limited");
					limited++;
				}
			}
			assertThat(acks).isBetween(5, 6);
			assertThat(limited).isEqualTo(10 - acks);
		}
	}

	@Test
	void joinsLeavesPingsAndRefusedRequestsShareTheRequestRate() {
		try (TestClient client = TestClient.connect(this.port, TestTokens.forRooms("u", "team-*"))) {
			StringBuilder frame = new StringBuilder();
			for (int i = 0; i < 10; i++) {
				String request = switch (i % 4) {
					case 0 -> "{\"type\":\"join\",\"room\":\"team-r\"";
					case 1 -> "{\"type\":\"leave\",\"room\":\"team-r\"";
					case 2 -> "{\"type\":\"ping\"";
					default -> "{\"type\":\"join\",\"room\":\"ops-1\"";
				};
				frame.append(request).append(",\"ref\":\"").append(i).append("\"}\n");
			}
			client.send(frame.toString());
			int limited = 0;
			for (int i = 0; i < 10; i++) {
				JsonNode reply = client.next();
				if ("rate_limited".equals(reply.path("code").asString())) {
					limited++;
				}
			}
			assertThat(limited).as("10 requests of any kind against 5 allowed at once").isBetween(4, 5);
		}
	}

	@Test
	void aClientThatKeepsExceedingTheRateIsClosedWith1008() {
		try (TestClient client = TestClient.connect(this.port, TestTokens.forRooms("u", "team-*"))) {
			client.send("{\"type\":\"ping\"}\n".repeat(30));
			assertThat(client.awaitClose().code()).as("25 requests over the rate, 20 tolerated").isEqualTo(1008);
		}
	}

	@Test
	void aTokenAboutToExpireIsRefreshedInBandAndRoomsItNoLongerAllowsAreLeft() throws Exception {
		String expiring = TestTokens.expiringIn(Duration.ofSeconds(3), "ren", "team-*");
		try (TestClient client = TestClient.connect(this.port, expiring)) {
			client.send("{\"type\":\"join\",\"room\":\"team-keep\"}\n{\"type\":\"join\",\"room\":\"team-drop\"}");
			client.nextOfType("joined");
			client.nextOfType("joined");
			JsonNode notice = client.nextOfType("expiring");
			long exp = notice.path("exp").asLong();
			assertThat(exp).isBetween(Instant.now().getEpochSecond(), Instant.now().plusSeconds(3).getEpochSecond());
			client.send("{\"type\":\"refresh\",\"token\":\"" + TestTokens.forRooms("ren", "team-keep") + "\",\"ref\":\"10\"}");
			JsonNode left = client.nextOfType("left");
			assertThat(left.path("room").asString()).isEqualTo("team-drop");
			assertThat(left.path("reason").asString()).isEqualTo("forbidden");
			JsonNode refreshed = client.nextOfType("refreshed");
			assertThat(refreshed.path("ref").asString()).isEqualTo("10");
			assertThat(refreshed.path("exp").asLong()).isGreaterThan(exp + 3000);
			Thread.sleep(3_500);
			client.send("{\"type\":\"publish\",\"room\":\"team-keep\",\"event\":\"e\",\"data\":1,\"ref\":\"after\"}");
			assertThat(client.nextOfType("ack").path("ref").asString()).as("open past the old token's exp").isEqualTo("after");
			client.send("{\"type\":\"publish\",\"room\":\"team-drop\",\"event\":\"e\",\"data\":1,\"ref\":\"gone\"}");
			assertError(client.nextOfType("error"), "gone", "forbidden");
		}
	}

	@Test
	void aRefreshWithAnotherUsersOrABadTokenIsUnauthorizedAndTheOldTokenStillExpires() {
		try (TestClient client = TestClient.connect(this.port, TestTokens.expiringIn(Duration.ofSeconds(2), "owner", "team-*"))) {
			client.send("{\"type\":\"refresh\",\"token\":\"" + TestTokens.forRooms("someone-else", "team-*") + "\",\"ref\":\"1\"}");
			JsonNode refused = client.nextOfType("error");
			assertError(refused, "1", "unauthorized");
			assertThat(refused.path("message").asString()).contains("another user");
			client.send("{\"type\":\"refresh\",\"token\":\"" + TestTokens.signedWith("another-secret-0123456789-0123456789-x", "owner", "*")
					+ "\",\"ref\":\"2\"}");
			assertError(client.nextOfType("error"), "2", "unauthorized");
			assertThat(client.awaitClose().code()).isEqualTo(1008);
		}
	}

	@Test
	void byDefaultDataMayUseTheWholeFrame() {
		try (TestClient subscriber = TestClient.connect(this.port, TestTokens.forRooms("s", "team-*"));
				TestClient publisher = TestClient.connect(this.port, TestTokens.forRooms("p", "team-*"))) {
			subscriber.send("{\"type\":\"join\",\"room\":\"team-large\"}");
			subscriber.nextOfType("joined");
			String data = "x".repeat(60_000);
			publisher.send("{\"type\":\"publish\",\"room\":\"team-large\",\"event\":\"blob\",\"data\":\"" + data + "\",\"ref\":\"1\"}");
			assertThat(publisher.nextOfType("ack").path("seq").asLong()).isEqualTo(1);
			assertThat(subscriber.nextOfType("event").path("data").asString()).isEqualTo(data);
		}
	}

	@Test
	void joiningMoreRoomsThanAllowedIsRefused() {
		try (TestClient client = TestClient.connect(this.port, TestTokens.forRooms("u", "team-*"))) {
			client.send("{\"type\":\"join\",\"room\":\"team-a\"}\n{\"type\":\"join\",\"room\":\"team-b\"}\n{\"type\":\"join\",\"room\":\"team-c\",\"ref\":\"c\"}");
			assertThat(client.next().path("type").asString()).isEqualTo("joined");
			assertThat(client.next().path("type").asString()).isEqualTo("joined");
			assertError(client.next(), "c", "bad_request");
		}
	}

	@Test
	void aClientThatAnswersPingsStaysAndOneThatDoesNotIsClosedWith1001() throws Exception {
		String token = TestTokens.forRooms("u", "team-*");
		try (TestClient answering = TestClient.connect(this.port, token);
				TestClient silent = TestClient.connect(this.port, token, null, true)) {
			assertThat(silent.awaitClose().code()).isEqualTo(1001);
			assertThat(answering.isClosed()).isFalse();
			Thread.sleep(500);
			answering.send("{\"type\":\"ping\"}");
			assertThat(answering.next().path("type").asString()).isEqualTo("pong");
		}
	}

	@Test
	void aConnectionWhoseTokenExpiresIsClosedWith1008() {
		try (TestClient client = TestClient.connect(this.port, TestTokens.expiringIn(Duration.ofSeconds(2), "u", "team-*"))) {
			assertThat(client.awaitClose().code()).isEqualTo(1008);
		}
	}

}
