package io.eventgateway.gateway.metrics;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import io.eventgateway.gateway.testing.HttpCall;
import io.eventgateway.gateway.testing.TestClient;
import io.eventgateway.gateway.testing.TestTokens;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/** The Prometheus exposition of a gateway that served traffic passes {@code promtool check metrics}. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = TestTokens.SECRET_PROPERTY)
class PrometheusExpositionIntegrationTests {

	@LocalServerPort
	int port;

	@Test
	void everyFamilyHasHelpTextAndTheLintPasses() throws Exception {
		String token = TestTokens.forRooms("u", "team-*");
		try (TestClient client = TestClient.connect(this.port, token)) {
			client.send("{\"type\":\"join\",\"room\":\"team-m\"}");
			client.nextOfType("joined");
			client.send("{\"type\":\"publish\",\"room\":\"team-m\",\"event\":\"e\",\"data\":1,\"ref\":\"1\"}");
			client.nextOfType("ack");
			client.send("{\"type\":\"dance\"}");
			client.nextOfType("error");
			HttpCall.to(this.port, "GET", "/api/teams/m/tasks").token(token).send();
			String exposition = HttpCall.to(this.port, "GET", "/actuator/prometheus").send().body().asString();
			assertThat(exposition).contains("gateway_deliveries_total 1.0")
				.contains("gateway_publish_ack_seconds_count{kind=\"durable\"} 1")
				.contains("gateway_publish_ack_seconds_bucket{kind=\"durable\",le=")
				.contains("# HELP gateway_connections Open WebSocket connections")
				.contains("# HELP gateway_errors_total").contains("# HELP http_server_requests_seconds");
			Lint lint = promtool(exposition);
			assertThat(lint.output()).as("promtool check metrics").isEmpty();
			assertThat(lint.exitCode()).isZero();
		}
	}

	private record Lint(int exitCode, String output) {
	}

	private static Lint promtool(String exposition) throws IOException, InterruptedException {
		Process promtool;
		try {
			promtool = new ProcessBuilder("promtool", "check", "metrics").redirectErrorStream(true).start();
		}
		catch (IOException ex) {
			throw new IllegalStateException("promtool is not installed (apt-get install prometheus): " + ex.getMessage(), ex);
		}
		promtool.getOutputStream().write(exposition.getBytes(StandardCharsets.UTF_8));
		promtool.getOutputStream().close();
		String output = new String(promtool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		assertThat(promtool.waitFor(30, TimeUnit.SECONDS)).isTrue();
		return new Lint(promtool.exitValue(), output.strip());
	}

}
