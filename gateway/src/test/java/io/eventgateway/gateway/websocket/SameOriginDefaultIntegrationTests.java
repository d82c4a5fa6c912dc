package io.eventgateway.gateway.websocket;

import io.eventgateway.gateway.testing.HttpCall;
import io.eventgateway.gateway.testing.TestClient;
import io.eventgateway.gateway.testing.TestTokens;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/** With no origin configured, browser pages of the gateway's own origin only may connect or call the API. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = TestTokens.SECRET_PROPERTY)
class SameOriginDefaultIntegrationTests {

	private static final String TOKEN = TestTokens.forRooms("u", "team-*");

	@LocalServerPort
	int port;

	private String url() {
		return "ws://127.0.0.1:" + this.port + "/ws";
	}

	@Test
	void aPageOfAnotherOriginIsRefusedAndOneOfTheGatewaysOwnConnects() {
		TestClient.Refusal refusal = TestClient.refusal(url(), "Bearer " + TOKEN, "https://other.example.com");
		assertThat(refusal.status()).isEqualTo(403);
		assertThat(refusal.problem().path("type").asString()).endsWith(":origin-not-allowed");
		assertThat(AllowedOriginsIntegrationTests.opens(url(), "http://127.0.0.1:" + this.port)).isTrue();
		assertThat(AllowedOriginsIntegrationTests.opens(url(), null)).as("not a browser").isTrue();
	}

	@Test
	void theApiSendsNoCorsHeadersSoBrowsersKeepToTheSameOrigin() {
		HttpCall.Answer call = HttpCall.to(this.port, "GET", "/api/rooms/team-1/events?since=0").token(TOKEN)
			.header("Origin", "https://other.example.com").send();
		assertThat(call.header("Access-Control-Allow-Origin")).isNull();
	}

}
