package io.eventgateway.gateway.websocket;

import java.time.Duration;

import io.eventgateway.gateway.testing.TestClient;
import io.eventgateway.gateway.testing.TestTokens;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** One user cannot take every connection slot, whichever addresses the connections come from. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { TestTokens.SECRET_PROPERTY, "gateway.ws.max-connections-per-user=2" })
class PerUserLimitIntegrationTests {

	@LocalServerPort
	int port;

	@Autowired
	ConnectionLimiter limiter;

	@Test
	void aUserBeyondTheLimitIsRefused429AndOthersAreNot() {
		String alice = TestTokens.forRooms("alice", "team-*");
		String url = "ws://127.0.0.1:" + this.port + "/ws";
		try (TestClient first = TestClient.connect(this.port, alice, "127.0.0.1", false);
				TestClient second = TestClient.connect(this.port, alice, "127.0.0.2", false)) {
			TestClient.Refusal third = TestClient.refusal(url, "Bearer " + alice);
			assertThat(third.status()).isEqualTo(429);
			assertThat(third.retryAfter()).isNotBlank();
			assertThat(third.problem().path("detail").asString()).contains("this user");
			try (TestClient bob = TestClient.connect(this.port, TestTokens.forRooms("bob", "team-*"))) {
				bob.send("{\"type\":\"ping\",\"ref\":\"1\"}");
				assertThat(bob.nextOfType("pong").path("ref").asString()).isEqualTo("1");
			}
			first.close();
			await().atMost(Duration.ofSeconds(10)).until(() -> this.limiter.total() == 1);
			try (TestClient again = TestClient.connect(this.port, alice)) {
				again.send("{\"type\":\"ping\",\"ref\":\"2\"}");
				assertThat(again.nextOfType("pong").path("ref").asString()).isEqualTo("2");
			}
		}
	}

}
