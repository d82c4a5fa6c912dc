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
 * so the logging of other tests is not changed. Every line about a connection names it
 * ({@code conn=…}, unique per connection) and carries neither its token nor what it sent.
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

	@Test
	void everyLineAboutAConnectionNamesItAndNoneCarriesItsTokenOrWhatItSent() throws Exception {
		String token = TestTokens.forRooms("logger", "team-*");
		String body = "body-that-must-stay-out-of-the-log";
		List<JsonNode> entries;
		JsonMapper json = JsonMapper.builder().build();
		try (GatewayProcess gateway = GatewayProcess.start("logging.structured.format.console=logstash",
				"logging.level.io.eventgateway.gateway.websocket=debug")) {
			for (int i = 0; i < 2; i++) {
				try (TestClient client = TestClient.connectWithQueryToken(gateway.port(), token)) {
					client.send("{\"type\":\"publish\",\"room\":\"team-logs\",\"event\":\"note\",\"data\":{\"text\":\"" + body
							+ "\"},\"ref\":\"1\"}");
					client.nextOfType("ack");
					client.send("{\"type\":\"publish\",\"room\":\"team-logs\",\"event\":\"note\",\"data\":" + body + "}");
					client.nextOfType("error");
				}
			}
			Thread.sleep(500);
			entries = Files.readAllLines(gateway.log()).stream().filter(line -> line.startsWith("{")).map(json::readTree).toList();
		}
		List<JsonNode> aboutConnections = entries.stream()
			.filter(entry -> entry.path("logger_name").asString().startsWith("io.eventgateway.gateway.websocket.")
					&& !entry.path("logger_name").asString().endsWith("ConnectionDrain"))
			.toList();
		assertThat(aboutConnections).extracting(entry -> entry.path("message").asString())
			.as("lines about connections")
			.isNotEmpty()
			.allMatch(message -> message.matches("conn=[0-9a-f]{8} .*"), "name their connection");
		List<String> opened = aboutConnections.stream().map(entry -> entry.path("message").asString())
			.filter(message -> message.contains(" opened "))
			.map(message -> message.substring(0, "conn=".length() + 8))
			.toList();
		List<String> closed = aboutConnections.stream().map(entry -> entry.path("message").asString())
			.filter(message -> message.contains(" closed"))
			.map(message -> message.substring(0, "conn=".length() + 8))
			.toList();
		assertThat(opened).hasSize(2).doesNotHaveDuplicates();
		assertThat(closed).containsExactlyInAnyOrderElementsOf(opened);
		assertThat(entries).extracting(JsonNode::toString).noneMatch(line -> line.contains(token) || line.contains(body));
	}

}
