package io.eventgateway.gateway.health;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import io.eventgateway.gateway.testing.GatewayInstance;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * With {@code management.server.port} the metrics, the health details and the admin view are
 * served there alone; the public port serves none of them. Without it, the public port answers
 * health with the status only.
 */
class ManagementPortIntegrationTests {

	private static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	@Test
	void aManagementPortOfItsOwnServesMetricsAndHealthDetailsThereAndNotOnThePublicPort() throws Exception {
		try (GatewayInstance gateway = GatewayInstance.start("management.server.port=0")) {
			assertThat(gateway.managementPort()).isNotEqualTo(gateway.port());

			HttpResponse<String> metrics = get(gateway.managementPort(), "/actuator/prometheus");
			assertThat(metrics.statusCode()).isEqualTo(200);
			assertThat(metrics.body()).contains("# HELP gateway_connections ");
			HttpResponse<String> health = get(gateway.managementPort(), "/actuator/health");
			assertThat(health.statusCode()).isEqualTo(200);
			assertThat(health.body()).contains("\"components\"").contains("\"store\"").contains("\"readinessState\"");
			assertThat(get(gateway.managementPort(), "/actuator/health/readiness").statusCode()).isEqualTo(200);

			assertThat(get(gateway.port(), "/actuator/prometheus").statusCode()).isEqualTo(404);
			assertThat(get(gateway.port(), "/actuator/health").statusCode()).isEqualTo(404);
			assertThat(get(gateway.port(), "/actuator").statusCode()).isEqualTo(404);
		}
	}

	@Test
	void onThePublicPortHealthSaysTheStatusAndNothingMore() throws Exception {
		try (GatewayInstance gateway = GatewayInstance.start()) {
			assertThat(gateway.managementPort()).isEqualTo(gateway.port());
			for (String path : new String[] { "/actuator/health", "/actuator/health/readiness", "/actuator/health/liveness" }) {
				HttpResponse<String> health = get(gateway.port(), path);
				assertThat(health.statusCode()).as(path).isEqualTo(200);
				assertThat(health.body()).as(path).contains("\"status\":\"UP\"").doesNotContain("components")
					.doesNotContain("details");
			}
			assertThat(get(gateway.port(), "/actuator/health/store").statusCode()).as("no component named to anyone")
				.isEqualTo(404);
		}
	}

	static HttpResponse<String> get(int port, String path) throws IOException, InterruptedException {
		return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(10)).build(),
				HttpResponse.BodyHandlers.ofString());
	}

}
