package io.eventgateway.gateway;

import java.nio.file.Files;
import java.util.List;

import io.eventgateway.gateway.testing.GatewayProcess;
import io.eventgateway.gateway.testing.TestClient;
import io.eventgateway.gateway.testing.TestTokens;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Structured logs are a switch ({@code logging.structured.format.console}): every line is then one
 * JSON object, and what the gateway logs about a connection carries no token. In a JVM of its own,
 * so the logging of other tests is not changed.
 */
class StructuredLogsIntegrationTests {

	@Test
	void everyLineIsAJsonObjectAndNoneCarriesAToken() throws Exception {
		String token = TestTokens.forRooms("logger", "team-*");
		List<String> lines;
		try (GatewayProcess gateway = GatewayProcess.start("logging.structured.format.console=logstash")) {
			try (TestClient client = TestClient.connectWithQueryToken(gateway.port(), token)) {
				client.send("{\"type\":\"ping\",\"ref\":\"1\"}");
				client.nextOfType("pong");
			}
			lines = Files.readAllLines(gateway.log()).stream().filter(line -> !line.isBlank())
				.filter(line -> !line.startsWith("WARNING:")) // the JVM's own warnings, before logging starts
				.toList();
		}
		JsonMapper json = JsonMapper.builder().build();
		assertThat(lines).isNotEmpty();
		for (String line : lines) {
			JsonNode entry = json.readTree(line);
			assertThat(entry.isObject()).as(line).isTrue();
			assertThat(entry.path("message").isString()).as(line).isTrue();
			assertThat(entry.path("level").asString()).as(line).isNotBlank();
		}
		assertThat(String.join("\n", lines)).contains("Started GatewayApplication").doesNotContain(token);
	}

}
