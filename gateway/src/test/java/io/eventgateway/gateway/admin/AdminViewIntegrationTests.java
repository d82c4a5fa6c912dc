package io.eventgateway.gateway.admin;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import io.eventgateway.gateway.testing.GatewayInstance;
import io.eventgateway.gateway.testing.TestClient;
import io.eventgateway.gateway.testing.TestTokens;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The admin view on the management port: rooms with their local members, the connections, and a
 * client that stopped reading at the top of the slowest consumers, named by user and connection
 * id; no token. The public port does not have it.
 */
class AdminViewIntegrationTests {

	private static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	private static final JsonMapper json = JsonMapper.builder().build();

	@Test
	void theManagementPortShowsRoomsConnectionsAndAClientThatStoppedReadingFirst() throws Exception {
		String slowToken = TestTokens.forRooms("slow-reader", "team-*");
		try (GatewayInstance gateway = GatewayInstance.start("management.server.port=0", "gateway.ws.request-rate=100000",
				"gateway.ws.request-burst=100000", "gateway.ws.outbound-max-messages=100000",
				"gateway.ws.outbound-max-size=64MB", "gateway.ws.max-pending-publishes=100");
				TestClient slow = TestClient.connectWithSmallReceiveBuffer(gateway.port(), slowToken);
				TestClient reader = gateway.connect("reader", "team-*");
				TestClient publisher = gateway.connect("publisher", "team-*")) {
			for (TestClient member : new TestClient[] { slow, reader }) {
				member.send("{\"type\":\"join\",\"room\":\"team-busy\"}");
				member.nextOfType("joined");
			}
			reader.send("{\"type\":\"join\",\"room\":\"team-quiet\"}");
			reader.nextOfType("joined");
			slow.pauseReading();

			String payload = "x".repeat(2_000);
			await().atMost(Duration.ofSeconds(60)).until(() -> {
				publishBatch(publisher, payload);
				reader.drain();
				return slowestQueue(gateway) > 100;
			});

			JsonNode view = get(gateway.managementPort(), "/actuator/gateway?top=2").body();
			assertThat(view.path("connections").asInt()).isEqualTo(3);
			assertThat(view.path("roomCount").asInt()).isEqualTo(2);
			assertThat(view.path("rooms").get(0).path("room").asString()).isEqualTo("team-busy");
			assertThat(view.path("rooms").get(0).path("localMembers").asInt()).isEqualTo(2);
			assertThat(view.path("rooms").get(1).path("room").asString()).isEqualTo("team-quiet");
			assertThat(view.path("rooms").get(1).path("localMembers").asInt()).isEqualTo(1);
			JsonNode slowest = view.path("slowestConsumers");
			assertThat(slowest).hasSize(2);
			assertThat(slowest.get(0).path("user").asString()).isEqualTo("slow-reader");
			assertThat(slowest.get(0).path("connection").asString()).matches("[0-9a-f]{8}");
			assertThat(slowest.get(0).path("queuedMessages").asInt()).isGreaterThan(100);
			assertThat(slowest.get(0).path("queuedBytes").asLong()).isGreaterThan(100L * payload.length());
			assertThat(slowest.get(1).path("connection").asString()).isNotEqualTo(slowest.get(0).path("connection").asString());
			assertThat(view.toString()).doesNotContain(slowToken).doesNotContain(payload);

			assertThat(get(gateway.port(), "/actuator/gateway").status).as("not on the public port").isEqualTo(404);
		}
	}

	@Test
	void withoutAManagementPortOfItsOwnThereIsNoAdminView() throws Exception {
		try (GatewayInstance gateway = GatewayInstance.start()) {
			assertThat(get(gateway.port(), "/actuator/gateway").status).isEqualTo(404);
		}
	}

	private static void publishBatch(TestClient publisher, String payload) {
		StringBuilder frame = new StringBuilder();
		for (int j = 0; j < 25; j++) {
			frame.append("{\"type\":\"publish\",\"room\":\"team-busy\",\"event\":\"bulk\",\"data\":\"").append(payload)
				.append("\"}\n");
		}
		publisher.send(frame.toString());
		for (int j = 0; j < 25; j++) {
			publisher.nextOfType("ack");
		}
	}

	private static int slowestQueue(GatewayInstance gateway) throws IOException, InterruptedException {
		return get(gateway.managementPort(), "/actuator/gateway?top=1").body().path("slowestConsumers").path(0)
			.path("queuedMessages").asInt();
	}

	private record Answer(int status, JsonNode body) {
	}

	private static Answer get(int port, String path) throws IOException, InterruptedException {
		HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
			.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
		return new Answer(response.statusCode(), response.body().isEmpty() ? json.nullNode() : json.readTree(response.body()));
	}

}
