package io.eventgateway.gateway.websocket;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.util.concurrent.TimeUnit;

import io.eventgateway.gateway.testing.TestClient;
import io.eventgateway.gateway.testing.TestTokens;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { TestTokens.SECRET_PROPERTY, "gateway.ws.allowed-origins=https://app.example.com" })
class AllowedOriginsIntegrationTests {

	private static final String TOKEN = TestTokens.forRooms("u", "team-*");

	@LocalServerPort
	int port;

	private String url() {
		return "ws://127.0.0.1:" + this.port + "/ws";
	}

	@Test
	void aPageOfAnotherOriginIsRefusedWith403() {
		TestClient.Refusal refusal = TestClient.refusal(url(), "Bearer " + TOKEN, "https://evil.example.net");
		assertThat(refusal.status()).isEqualTo(403);
		assertThat(refusal.problem().path("type").asString()).endsWith(":origin-not-allowed");
	}

	@Test
	void aPageOfAnAllowedOriginAndAClientWithoutOriginConnect() {
		assertThat(opens("https://APP.example.com")).isTrue();
		assertThat(opens(null)).isTrue();
	}

	/** The JDK's client, which sends no {@code Origin} of its own (Netty's does). */
	private boolean opens(String origin) {
		WebSocket.Builder builder = HttpClient.newHttpClient().newWebSocketBuilder().header("Authorization", "Bearer " + TOKEN);
		if (origin != null) {
			builder.header("Origin", origin);
		}
		WebSocket socket = builder.buildAsync(URI.create(url()), new WebSocket.Listener() {
		}).orTimeout(10, TimeUnit.SECONDS).join();
		socket.abort();
		return true;
	}

}
