package io.eventgateway.gateway.http;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.eventgateway.gateway.testing.HttpCall;
import io.eventgateway.gateway.testing.HttpCall.Answer;
import io.eventgateway.gateway.testing.TestClient;
import io.eventgateway.gateway.testing.TestTokens;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Room history, server-side publish and presence over real HTTP, next to real WebSocket clients. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { TestTokens.SECRET_PROPERTY, "gateway.ws.ping-interval=10m", "gateway.ws.idle-timeout=20m",
				"gateway.history.max-page-size=8KB", "gateway.ws.max-data-size=16KB" })
class RoomApiIntegrationTests {

	@LocalServerPort
	int port;

	private Answer call(String method, String path, String token, String body) {
		HttpCall call = HttpCall.to(this.port, method, path).body(body);
		return (token == null) ? call.send() : call.token(token).send();
	}

	@Test
	void aServerSidePublishIsStoredAndDeliveredLikeAWebSocketOne() {
		String token = TestTokens.forRooms("server", "team-*");
		try (TestClient member = TestClient.connect(this.port, TestTokens.forRooms("m", "team-http"))) {
			member.send("{\"type\":\"join\",\"room\":\"team-http\"}");
			member.nextOfType("joined");
			Answer created = call("POST", "/api/rooms/team-http/events", token, "{\"event\":\"deploy.finished\",\"data\":{\"id\":7}}");
			assertThat(created.status()).isEqualTo(201);
			assertThat(created.body().path("seq").asLong()).isEqualTo(1);
			JsonNode event = member.nextOfType("event");
			assertThat(event.path("seq").asLong()).isEqualTo(1);
			assertThat(event.path("event").asString()).isEqualTo("deploy.finished");
			assertThat(event.path("data").path("id").asInt()).isEqualTo(7);
		}
	}

	@Test
	void historyPagesThroughDurableEventsInOrder() {
		String token = TestTokens.forRooms("server", "team-*");
		for (int i = 1; i <= 5; i++) {
			assertThat(call("POST", "/api/rooms/team-history/events", token, "{\"event\":\"e\",\"data\":" + i + "}").status()).isEqualTo(201);
		}
		Answer first = call("GET", "/api/rooms/team-history/events?since=0&limit=2", token, null);
		assertThat(first.status()).isEqualTo(200);
		assertThat(first.body().path("items")).extracting(item -> item.path("seq").asLong()).containsExactly(1L, 2L);
		assertThat(first.body().path("next").asLong()).isEqualTo(2);
		Answer rest = call("GET", "/api/rooms/team-history/events?since=2&limit=10", token, null);
		assertThat(rest.body().path("items")).extracting(item -> item.path("data").asInt()).containsExactly(3, 4, 5);
		assertThat(rest.body().path("next").isNull()).isTrue();
		assertThat(rest.body().path("seq").asLong()).isEqualTo(5);
		assertThat(rest.body().path("epoch").asString()).isNotBlank();
	}

	@Test
	void aHistoryPageIsBoundedByBytesAsWellAsByCount() {
		String token = TestTokens.forRooms("server", "team-*");
		String data = "\"" + "x".repeat(3000) + "\"";
		for (int i = 1; i <= 5; i++) {
			assertThat(call("POST", "/api/rooms/team-big/events", token, "{\"event\":\"e\",\"data\":" + data + "}").status())
				.isEqualTo(201);
		}
		assertThat(call("POST", "/api/rooms/team-big/events", token,
				"{\"event\":\"e\",\"data\":\"" + "y".repeat(12_000) + "\"}").status()).isEqualTo(201);
		List<Long> seen = new ArrayList<>();
		long since = 0;
		for (int pages = 0; pages < 10; pages++) {
			Answer page = call("GET", "/api/rooms/team-big/events?since=" + since + "&limit=1000", token, null);
			assertThat(page.status()).isEqualTo(200);
			JsonNode items = page.body().path("items");
			assertThat(items.size()).as("a page holds at least one event").isPositive();
			if (items.size() > 1) {
				assertThat(items.toString().length()).as("8 KB at most, unless one event alone is larger")
					.isLessThanOrEqualTo(8 * 1024);
			}
			items.forEach(item -> seen.add(item.path("seq").asLong()));
			if (page.body().path("next").isNull()) {
				break;
			}
			since = page.body().path("next").asLong();
		}
		assertThat(seen).as("every event once, in order, over pages of two").containsExactly(1L, 2L, 3L, 4L, 5L, 6L);
		Answer first = call("GET", "/api/rooms/team-big/events?since=0&limit=1000", token, null);
		assertThat(first.body().path("items").size()).isEqualTo(2);
		assertThat(first.body().path("next").asLong()).isEqualTo(2);
	}

	@Test
	void aReadOnlyRoomIsReadOverHttpButNotWritten() {
		String reader = TestTokens.withReadOnly("reader", List.of(), List.of("team-ro"));
		assertThat(call("POST", "/api/rooms/team-ro/events", TestTokens.forRooms("w", "team-ro"), "{\"event\":\"e\",\"data\":1}")
			.status()).isEqualTo(201);
		assertThat(call("GET", "/api/rooms/team-ro/events?since=0", reader, null).body().path("items")).hasSize(1);
		assertThat(call("GET", "/api/rooms/team-ro/presence", reader, null).status()).isEqualTo(200);
		Answer refused = call("POST", "/api/rooms/team-ro/events", reader, "{\"event\":\"e\",\"data\":2}");
		assertProblem(refused, 403, "forbidden");
		assertThat(refused.body().path("detail").asString()).contains("read-only");
		assertThat(call("GET", "/api/teams/ro/tasks", reader, null).status()).isEqualTo(200);
		assertProblem(call("POST", "/api/teams/ro/tasks", reader, "{\"title\":\"t\"}"), 403, "forbidden");
		Answer created = call("POST", "/api/teams/ro/tasks", TestTokens.forRooms("w", "team-ro"), "{\"title\":\"t\"}");
		String id = created.body().path("id").asString();
		assertThat(call("GET", "/api/tasks/" + id, reader, null).status()).isEqualTo(200);
		assertProblem(call("PATCH", "/api/tasks/" + id, reader, "{\"title\":\"u\"}"), 403, "forbidden");
		assertProblem(call("DELETE", "/api/tasks/" + id, reader, null), 403, "forbidden");
	}

	@Test
	void anIdempotencyKeyMakesARepeatedPublishA200WithTheFirstSeq() {
		String token = TestTokens.forRooms("server", "team-*");
		Answer first = HttpCall.to(this.port, "POST", "/api/rooms/team-key/events").token(token)
			.header("Idempotency-Key", "deploy-77").body("{\"event\":\"deploy.finished\",\"data\":1}").send();
		assertThat(first.status()).isEqualTo(201);
		Answer repeat = HttpCall.to(this.port, "POST", "/api/rooms/team-key/events").token(token)
			.header("Idempotency-Key", "deploy-77").body("{\"event\":\"deploy.finished\",\"data\":1}").send();
		assertThat(repeat.status()).isEqualTo(200);
		assertThat(repeat.body().path("seq").asLong()).isEqualTo(first.body().path("seq").asLong());
		JsonNode items = call("GET", "/api/rooms/team-key/events?since=0", token, null).body().path("items");
		assertThat(items).hasSize(1);
		assertThat(items.get(0).path("id").asString()).isEqualTo("deploy-77");
		assertThat(items.get(0).path("from").asString()).isEqualTo("server");
		assertProblem(HttpCall.to(this.port, "POST", "/api/rooms/team-key/events").token(token)
			.header("Idempotency-Key", "not a key").body("{\"event\":\"e\",\"data\":1}").send(), 400, "bad-request");
	}

	@Test
	void taskEventsArePublishedOnlyByTheServer() {
		String token = TestTokens.forRooms("mallory", "team-*");
		Answer forged = call("POST", "/api/rooms/team-forged/events", token, "{\"event\":\"task.updated\",\"data\":{\"id\":1}}");
		assertProblem(forged, 403, "forbidden");
		Answer history = call("GET", "/api/rooms/team-forged/events?since=0", token, null);
		assertThat(history.body().path("items")).isEmpty();
		assertThat(call("POST", "/api/rooms/team-forged/events", token, "{\"event\":\"tasks.note\",\"data\":1}").status())
			.as("only names beginning with task. are the server's").isEqualTo(201);
	}

	@Test
	void presenceListsTheUsersConnectedToTheRoom() {
		try (TestClient alice = TestClient.connect(this.port, TestTokens.forRooms("alice", "team-*"));
				TestClient alsoAlice = TestClient.connect(this.port, TestTokens.forRooms("alice", "team-*"))) {
			for (TestClient client : new TestClient[] { alice, alsoAlice }) {
				client.send("{\"type\":\"join\",\"room\":\"team-presence\"}");
				client.nextOfType("joined");
			}
			await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
				Answer presence = call("GET", "/api/rooms/team-presence/presence", TestTokens.forRooms("bob", "team-*"), null);
				assertThat(presence.body().path("members")).hasSize(1);
				assertThat(presence.body().path("members").get(0).path("user").asString()).isEqualTo("alice");
				assertThat(presence.body().path("members").get(0).path("connections").asInt()).isEqualTo(2);
			});
		}
	}

	@Test
	void badRequestsAreProblems() {
		String token = TestTokens.forRooms("u", "team-*");
		assertProblem(call("GET", "/api/rooms/team-1/events", null, null), 401, "unauthorized");
		assertProblem(call("GET", "/api/rooms/ops-1/events", token, null), 403, "forbidden");
		assertProblem(call("GET", "/api/rooms/team-1/events?limit=0", token, null), 400, "bad-request");
		assertProblem(call("GET", "/api/rooms/team-1/events?since=abc", token, null), 400, "bad-request");
		assertProblem(call("POST", "/api/rooms/team-1/events", token, "not json"), 400, "bad-request");
		assertProblem(call("POST", "/api/rooms/team-1/events", token, "{\"event\":\"bad name!\"}"), 400, "bad-request");
		assertProblem(call("POST", "/api/rooms/team-1/events", token, "{\"event\":\"e\",\"data\":\"" + "x".repeat(17_000) + "\"}"), 413,
				"too-large");
	}

	private static void assertProblem(Answer answer, int status, String type) {
		assertThat(answer.status()).as(answer.body().toString()).isEqualTo(status);
		assertThat(answer.contentType()).isEqualTo("application/problem+json");
		assertThat(answer.body().path("type").asString()).isEqualTo(Problems.type(type));
		assertThat(answer.body().path("status").asInt()).isEqualTo(status);
		assertThat(answer.body().path("detail").asString()).isNotBlank();
	}

}
