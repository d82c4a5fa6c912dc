package io.eventgateway.gateway.websocket;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.eventgateway.gateway.testing.HttpCall;
import io.eventgateway.gateway.testing.TestClient;
import io.eventgateway.gateway.testing.TestTokens;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A token given in the query reaches no log line, whatever becomes of its request: refused, taken,
 * answered by another route, or failed with a 500 (whose error log formats the request line). Request
 * logging is at debug, so that every line that could carry it is written.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { TestTokens.SECRET_PROPERTY, "logging.level.org.springframework.web=debug",
				"logging.level.reactor.netty.http.server=debug" })
@ExtendWith(OutputCaptureExtension.class)
class TokenLoggingIntegrationTests {

	@LocalServerPort
	int port;

	private final List<String> tokens = new ArrayList<>();

	private String token(String user) {
		String token = TestTokens.forRooms(user, "team-*");
		this.tokens.add(token);
		return token;
	}

	private String url(String pathAndQuery) {
		return "ws://127.0.0.1:" + this.port + pathAndQuery;
	}

	@Test
	void noHandshakeOutcomeAndNoFailedRequestLogsTheTokenOfItsQuery(CapturedOutput output) {
		try (TestClient taken = TestClient.connectWithQueryToken(this.port, token("taken"))) {
			taken.send("{\"type\":\"ping\",\"ref\":\"1\"}");
			taken.nextOfType("pong");
		}
		String forged = TestTokens.signedWith("another-secret-0123456789-0123456789-xyz", "forged", "*");
		String expired = TestTokens.expiringIn(Duration.ofSeconds(-120), "expired", "*");
		this.tokens.add(forged);
		this.tokens.add(expired);
		assertThat(TestClient.refusal(url("/ws?token=" + forged), null).status()).isEqualTo(401);
		assertThat(TestClient.refusal(url("/ws?token=" + expired), null).status()).isEqualTo(401);
		assertThat(TestClient.refusal(url("/ws?token=" + token("garbled") + "&x=%zz"), null).status()).isEqualTo(401);
		// Paths that are not the handshake's, though close to it.
		for (String path : new String[] { "/ws;x", "/ws/", "/WS", "/ws%3Bx", "//ws" }) {
			int status = TestClient.refusal(url(path + "?token=" + token("near" + path.length())), null).status();
			assertThat(status).as(path).isBetween(400, 499);
		}
		assertThat(HttpCall.to(this.port, "POST", "/ws?token=" + token("posted")).body("{}").send().status()).isEqualTo(405);
		assertThat(HttpCall.to(this.port, "GET", "/ws?token=" + token("plain")).send().status()).isEqualTo(400);
		assertThat(HttpCall.to(this.port, "GET", "/api/unknown?access_token=" + token("unknown")).send().status())
			.isEqualTo(404);
		assertThat(HttpCall.to(this.port, "GET", "/api/failing?a=1&token=" + token("failing")).send().status())
			.isEqualTo(500);
		assertThat(HttpCall.to(this.port, "GET", "/api/failing?%74oken=" + token("encoded")).send().status())
			.isEqualTo(500);

		assertThat(output.getAll()).as("the failed request was logged").contains("/api/failing");
		for (String token : this.tokens) {
			assertThat(output.getAll()).doesNotContain(token.substring(token.lastIndexOf('.') + 1));
		}
	}

	@Test
	void otherQueryParametersAreKeptInOrder() {
		assertThat(TokenQueryRedaction.withoutTokens("/api/x?a=1&token=t&b=2&ACCESS_TOKEN=u&c"))
			.isEqualTo("/api/x?a=1&b=2&c");
		assertThat(TokenQueryRedaction.withoutTokens("/api/x?token=t")).isEqualTo("/api/x");
		assertThat(TokenQueryRedaction.withoutTokens("/api/x?tokens=1&mytoken=2")).isEqualTo("/api/x?tokens=1&mytoken=2");
		assertThat(TokenQueryRedaction.withoutTokens("/api/x?since=5")).isEqualTo("/api/x?since=5");
	}

	@TestConfiguration
	static class FailingRoute {

		@Bean
		RouterFunction<ServerResponse> failingRoute() {
			return RouterFunctions.route()
				.GET("/api/failing", request -> Mono.error(new IllegalStateException("the route failed")))
				.build();
		}

	}

}
