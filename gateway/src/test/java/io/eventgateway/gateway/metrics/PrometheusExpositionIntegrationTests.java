package io.eventgateway.gateway.metrics;

import java.nio.file.Path;

import io.eventgateway.gateway.testing.HttpCall;
import io.eventgateway.gateway.testing.PrometheusPrograms;
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
			PrometheusPrograms.Outcome lint = PrometheusPrograms.promtool(Path.of("."), exposition, "check", "metrics");
			assertThat(lint.output()).as("promtool check metrics").isEmpty();
			assertThat(lint.exitCode()).isZero();
		}
	}

}
