package io.eventgateway.gateway.websocket;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.util.concurrent.TimeUnit;

import io.eventgateway.gateway.testing.HttpCall;
import io.eventgateway.gateway.testing.TestClient;
import io.eventgateway.gateway.testing.TestTokens;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { TestTokens.SECRET_PROPERTY, "gateway.ws.allowed-origins=https://app.example.com",
				"gateway.http.cors-allowed-origins=https://app.example.com" })
class AllowedOriginsIntegrationTests {

	private static final String TOKEN = TestTokens.forRooms("u", "team-*");

	@LocalServerPort
	int port;

	private String url() {
		return "ws://127.0.0.1:" + this.port + "/ws";
	}

	private boolean opens(String origin) {
		return opens(url(), origin);
	}

	@Test
	void aPageOfAnotherOriginIsRefusedWith403() {
		TestClient.Refusal refusal = TestClient.refusal(url(), "Bearer " + TOKEN, "https://evil.example.net");
		assertThat(refusal.status()).isEqualTo(403);
		assertThat(refusal.problem().path("type").asString()).endsWith(":origin-not-allowed");
	}

	@Test
	void aPageOfAnAllowedOriginOfItsOwnOriginAndAClientWithoutOriginConnect() {
		assertThat(opens("https://APP.example.com")).isTrue();
		assertThat(opens("http://127.0.0.1:" + this.port)).isTrue();
		assertThat(opens(null)).isTrue();
		assertThat(TestClient.refusal(url(), "Bearer " + TOKEN, "null").status()).as("a sandboxed page or a file").isEqualTo(403);
	}

	@Test
	void theApiAnswersPreflightsAndCallsOfAListedOriginOnly() {
		HttpCall.Answer preflight = HttpCall.to(this.port, "OPTIONS", "/api/rooms/team-1/events")
			.header("Origin", "https://app.example.com").header("Access-Control-Request-Method", "POST")
			.header("Access-Control-Request-Headers", "authorization,content-type,idempotency-key").send();
		assertThat(preflight.status()).isEqualTo(200);
		assertThat(preflight.header("Access-Control-Allow-Origin")).isEqualTo("https://app.example.com");
		assertThat(preflight.header("Access-Control-Allow-Headers")).containsIgnoringCase("idempotency-key");
		HttpCall.Answer call = HttpCall.to(this.port, "GET", "/api/rooms/team-1/events?since=0").token(TOKEN)
			.header("Origin", "https://app.example.com").send();
		assertThat(call.status()).isEqualTo(200);
		assertThat(call.header("Access-Control-Allow-Origin")).isEqualTo("https://app.example.com");
		HttpCall.Answer foreign = HttpCall.to(this.port, "OPTIONS", "/api/rooms/team-1/events")
			.header("Origin", "https://evil.example.net").header("Access-Control-Request-Method", "POST").send();
		assertThat(foreign.status()).isEqualTo(403);
		assertThat(foreign.header("Access-Control-Allow-Origin")).isNull();
	}

	/** The JDK's client, which sends no {@code Origin} of its own (Netty's does). */
	static boolean opens(String url, String origin) {
		WebSocket.Builder builder = HttpClient.newHttpClient().newWebSocketBuilder().header("Authorization", "Bearer " + TOKEN);
		if (origin != null) {
			builder.header("Origin", origin);
		}
		WebSocket socket = builder.buildAsync(URI.create(url), new WebSocket.Listener() {
		}).orTimeout(10, TimeUnit.SECONDS).join();
		socket.abort();
		return true;
	}

}
