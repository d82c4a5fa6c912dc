package io.eventgateway.gateway.http;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

import io.eventgateway.gateway.testing.HttpCall;
import io.eventgateway.gateway.testing.HttpCall.Answer;
import io.eventgateway.gateway.testing.TestClient;
import io.eventgateway.gateway.testing.TestTokens;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/** The task API over real HTTP on the embedded default, next to real WebSocket members. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { TestTokens.SECRET_PROPERTY, "gateway.ws.ping-interval=10m", "gateway.ws.idle-timeout=20m",
				"gateway.http.rate-limit=100000", "gateway.http.rate-limit-burst=100000" })
class TaskApiIntegrationTests {

	private static final String TOKEN = TestTokens.forRooms("lead", "team-*");

	@LocalServerPort
	int port;

	private HttpCall call(String method, String path) {
		return HttpCall.to(this.port, method, path).token(TOKEN);
	}

	private JsonNode create(String team, String body) {
		Answer created = call("POST", "/api/teams/" + team + "/tasks").body(body).send();
		assertThat(created.status()).as(created.body().toString()).isEqualTo(201);
		return created.body();
	}

	@Test
	void aCreatedTaskIsReadFromTheStoreOnceThenFromTheCacheAndAnswers304WhenUnchanged() {
		Answer created = call("POST", "/api/teams/alpha/tasks")
			.body("{\"title\":\"Write the docs\",\"priority\":\"high\",\"dependencies\":[1,\"2\"]}")
			.send();
		assertThat(created.status()).isEqualTo(201);
		String id = created.body().path("id").asString();
		assertThat(created.header("Location")).isEqualTo("/api/tasks/" + id);
		assertThat(created.header("ETag")).isEqualTo("\"v1\"");
		assertThat(created.body().path("status").asString()).isEqualTo("pending");
		assertThat(created.body().path("dependencies")).extracting(JsonNode::asString).containsExactly("1", "2");

		Answer first = call("GET", "/api/tasks/" + id).send();
		assertThat(first.status()).isEqualTo(200);
		assertThat(first.header("X-Cache")).isEqualTo("MISS");
		assertThat(first.header("ETag")).isEqualTo("\"v1\"");
		assertThat(first.header("X-Room-Seq")).isEqualTo(created.header("X-Room-Seq"));
		assertThat(first.header("X-Room-Epoch")).isNotBlank();
		assertThat(first.body()).isEqualTo(created.body());

		Answer second = call("GET", "/api/tasks/" + id).send();
		assertThat(second.header("X-Cache")).isEqualTo("HIT");
		assertThat(second.body()).isEqualTo(created.body());

		Answer unchanged = call("GET", "/api/tasks/" + id).header("If-None-Match", "\"v1\"").send();
		assertThat(unchanged.status()).isEqualTo(304);
		assertThat(unchanged.header("ETag")).isEqualTo("\"v1\"");

		Answer bypass = call("GET", "/api/tasks/" + id).header("Cache-Control", "no-cache").send();
		assertThat(bypass.header("X-Cache")).isEqualTo("MISS");
		String metrics = HttpCall.to(this.port, "GET", "/actuator/prometheus").send().body().asString();
		assertThat(metrics).contains("gateway_task_reads_total{cache=\"hit\"}", "gateway_task_reads_total{cache=\"miss\"}");
	}

	@Test
	void aCreationRepeatingItsIdempotencyKeyAnswers200WithTheFirstTask() {
		try (TestClient member = TestClient.connect(this.port, TestTokens.forRooms("m", "team-idem"))) {
			member.send("{\"type\":\"join\",\"room\":\"team-idem\"}");
			member.nextOfType("joined");
			Answer first = call("POST", "/api/teams/idem/tasks").header("Idempotency-Key", "create-1")
				.body("{\"title\":\"write the docs\"}").send();
			assertThat(first.status()).isEqualTo(201);
			Answer repeat = call("POST", "/api/teams/idem/tasks").header("Idempotency-Key", "create-1")
				.body("{\"title\":\"write the docs\"}").send();
			assertThat(repeat.status()).isEqualTo(200);
			assertThat(repeat.body()).isEqualTo(first.body());
			assertThat(call("GET", "/api/teams/idem/tasks").send().body().path("items")).hasSize(1);
			assertThat(member.nextOfType("event").path("event").asString()).isEqualTo("task.created");
			call("POST", "/api/teams/idem/tasks").body("{\"title\":\"next\"}").send();
			assertThat(member.nextOfType("event").path("data").path("title").asString())
				.as("the repeat announced nothing").isEqualTo("next");
			String id = first.body().path("id").asString();
			assertThat(call("DELETE", "/api/tasks/" + id).send().status()).isEqualTo(204);
			Answer afterDelete = call("POST", "/api/teams/idem/tasks").header("Idempotency-Key", "create-1")
				.body("{\"title\":\"write the docs\"}").send();
			assertThat(afterDelete.status()).isEqualTo(409);
			assertThat(afterDelete.body().path("type").asString()).endsWith(":idempotency-key-reused");
			assertThat(call("POST", "/api/teams/idem/tasks").header("Idempotency-Key", "bad key").body("{\"title\":\"x\"}").send()
				.status()).isEqualTo(400);
		}
	}

	@Test
	void writesBumpTheVersionRefuseStaleIfMatchAndAnnounceThemselvesInTheTeamRoom() {
		try (TestClient member = TestClient.connect(this.port, TestTokens.forRooms("m", "team-beta"))) {
			member.send("{\"type\":\"join\",\"room\":\"team-beta\"}");
			member.nextOfType("joined");
			String id = create("beta", "{\"title\":\"Ship\",\"assignee\":\"ann\"}").path("id").asString();
			JsonNode createdEvent = member.nextOfType("event");
			assertThat(createdEvent.path("event").asString()).isEqualTo("task.created");
			assertThat(createdEvent.path("from").asString()).as("the user whose request made it").isEqualTo("lead");
			assertThat(createdEvent.path("data").path("id").asString()).isEqualTo(id);
			call("GET", "/api/tasks/" + id).send(); // cached now

			Answer patched = call("PATCH", "/api/tasks/" + id).header("Content-Type", "application/merge-patch+json")
				.header("If-Match", "\"v1\"")
				.body("{\"status\":\"in-progress\",\"assignee\":null}")
				.send();
			assertThat(patched.status()).as(patched.body().toString()).isEqualTo(200);
			assertThat(patched.header("ETag")).isEqualTo("\"v2\"");
			assertThat(patched.body().path("assignee").isNull()).isTrue();
			assertThat(patched.body().path("title").asString()).isEqualTo("Ship");
			JsonNode updatedEvent = member.nextOfType("event");
			assertThat(updatedEvent.path("event").asString()).isEqualTo("task.updated");
			assertThat(updatedEvent.path("data").path("version").asLong()).isEqualTo(2);
			assertThat(updatedEvent.path("seq").asLong()).isEqualTo(Long.parseLong(patched.header("X-Room-Seq")));

			Answer afterWrite = call("GET", "/api/tasks/" + id).send();
			assertThat(afterWrite.body().path("version").asLong()).isEqualTo(2);
			assertThat(afterWrite.body().path("status").asString()).isEqualTo("in-progress");

			Answer stale = call("PATCH", "/api/tasks/" + id).header("If-Match", "\"v1\"").body("{\"title\":\"Late\"}").send();
			assertProblem(stale, 412, "version-conflict");

			Answer noChange = call("PATCH", "/api/tasks/" + id).body("{\"status\":\"in-progress\"}").send();
			assertThat(noChange.status()).isEqualTo(200);
			assertThat(noChange.header("ETag")).isEqualTo("\"v2\"");

			assertThat(call("DELETE", "/api/tasks/" + id).header("If-Match", "\"v2\"").send().status()).isEqualTo(204);
			JsonNode deletedEvent = member.nextOfType("event");
			assertThat(deletedEvent.path("event").asString()).isEqualTo("task.deleted");
			assertThat(deletedEvent.path("data").path("id").asString()).isEqualTo(id);
			assertProblem(call("GET", "/api/tasks/" + id).send(), 404, "not-found");
			assertThat(member.poll(java.time.Duration.ofMillis(300))).as("no event for the unchanged patch").isNull();
		}
	}

	@Test
	void pagesReturnEachTaskExactlyOnceWhileTasksAreInserted() throws Exception {
		Set<String> before = new HashSet<>();
		for (int i = 0; i < 60; i++) {
			before.add(create("gamma", "{\"title\":\"t" + i + "\",\"priority\":\"" + (i % 2 == 0 ? "high" : "low") + "\"}")
				.path("id").asString());
		}
		AtomicBoolean paging = new AtomicBoolean(true);
		CompletableFuture<Void> inserting = CompletableFuture.runAsync(() -> {
			for (int i = 0; i < 40 && paging.get(); i++) {
				create("gamma", "{\"title\":\"late" + i + "\"}");
			}
		});
		List<String> seen = new ArrayList<>();
		String cursor = null;
		do {
			Answer page = call("GET", "/api/teams/gamma/tasks?limit=7" + (cursor == null ? "" : "&cursor=" + cursor)).send();
			assertThat(page.status()).isEqualTo(200);
			page.body().path("items").forEach(item -> seen.add(item.path("id").asString()));
			cursor = page.body().path("next").isNull() ? null : page.body().path("next").asString();
		}
		while (cursor != null);
		paging.set(false);
		inserting.get();
		assertThat(seen).doesNotHaveDuplicates().containsAll(before);

		Answer high = call("GET", "/api/teams/gamma/tasks?priority=high&limit=100").header("Accept-Encoding", "gzip").send();
		assertThat(high.body().path("items")).hasSize(30).allSatisfy(item -> assertThat(item.path("priority").asString()).isEqualTo("high"));
		assertThat(high.header("X-Room-Seq")).isNotBlank();
		assertThat(high.header("Content-Encoding")).isEqualTo("gzip");
		Answer again = call("GET", "/api/teams/gamma/tasks?priority=high&limit=100").header("If-None-Match", high.header("ETag")).send();
		assertThat(again.status()).isEqualTo(304);
	}

	@Test
	void aClientThatLoadsTasksThenJoinsFromTheirSeqMissesNoChangeAndSeesNoneTwice() throws Exception {
		List<String> ids = new ArrayList<>();
		for (int i = 0; i < 5; i++) {
			ids.add(create("delta", "{\"title\":\"seam" + i + "\"}").path("id").asString());
		}
		AtomicBoolean writing = new AtomicBoolean(true);
		CompletableFuture<Integer> writer = CompletableFuture.supplyAsync(() -> {
			int writes = 0;
			while (writing.get() || writes < 20) {
				String id = ids.get(writes % ids.size());
				assertThat(call("PATCH", "/api/tasks/" + id).body("{\"description\":\"rev " + writes + "\"}").send().status()).isEqualTo(200);
				writes++;
			}
			return writes;
		});
		// Load (one through the cache, the list from the store), then join from the list's position.
		Thread.sleep(50);
		call("GET", "/api/tasks/" + ids.get(0)).send();
		Answer page = call("GET", "/api/teams/delta/tasks?limit=100").send();
		Map<String, Long> versions = new HashMap<>();
		page.body().path("items").forEach(item -> versions.put(item.path("id").asString(), item.path("version").asLong()));
		long since = Long.parseLong(page.header("X-Room-Seq"));
		try (TestClient client = TestClient.connect(this.port, TestTokens.forRooms("c", "team-delta"))) {
			client.send("{\"type\":\"join\",\"room\":\"team-delta\",\"since\":" + since + ",\"epoch\":\"" + page.header("X-Room-Epoch") + "\"}");
			Thread.sleep(300);
			writing.set(false);
			writer.get();
			long expectedLast = Long.parseLong(call("GET", "/api/teams/delta/tasks?limit=1").send().header("X-Room-Seq"));
			long seq = since;
			while (seq < expectedLast) {
				JsonNode event = client.nextMatching(message -> "event".equals(message.path("type").asString()));
				assertThat(event.path("seq").asLong()).as("gap-free after the loaded position").isEqualTo(seq + 1);
				seq = event.path("seq").asLong();
				String id = event.path("data").path("id").asString();
				long version = event.path("data").path("version").asLong();
				assertThat(version).as("a change the client had already loaded").isGreaterThan(versions.get(id));
				versions.put(id, version);
			}
		}
		for (String id : ids) {
			assertThat(call("GET", "/api/tasks/" + id).send().body().path("version").asLong()).isEqualTo(versions.get(id));
		}
	}

	@Test
	void everyKindOfBadInputIsAProblemNamingEachBadField() {
		Answer invalid = call("POST", "/api/teams/alpha/tasks")
			.body("{\"title\":\"\",\"status\":\"nope\",\"priority\":5,\"dependencies\":\"x\",\"color\":\"red\",\"version\":3}")
			.send();
		assertProblem(invalid, 400, "validation");
		assertThat(invalid.body().path("errors")).extracting(error -> error.path("field").asString())
			.containsExactlyInAnyOrder("title", "status", "priority", "dependencies", "color", "version");
		assertProblem(call("POST", "/api/teams/alpha/tasks").body("{}").send(), 400, "validation");
		assertProblem(call("POST", "/api/teams/alpha/tasks").body("[1]").send(), 400, "validation");
		assertProblem(call("POST", "/api/teams/alpha/tasks").body("not json").send(), 400, "bad-request");
		assertProblem(call("POST", "/api/teams/alpha/tasks").body("{\"title\":\"" + "x".repeat(70_000) + "\"}").send(), 413, "too-large");
		assertProblem(call("GET", "/api/teams/alpha/tasks?limit=101").send(), 400, "bad-request");
		assertProblem(call("GET", "/api/teams/alpha/tasks?status=later").send(), 400, "bad-request");
		assertProblem(call("GET", "/api/teams/alpha/tasks?cursor=%25%25").send(), 400, "bad-request");
		assertProblem(call("GET", "/api/teams/al%20pha/tasks").send(), 400, "bad-request");
		assertProblem(call("GET", "/api/tasks/nope").send(), 404, "not-found");
		assertProblem(HttpCall.to(this.port, "GET", "/api/teams/alpha/tasks").send(), 401, "unauthorized");
		String otherTeam = TestTokens.forRooms("x", "team-other");
		assertProblem(HttpCall.to(this.port, "GET", "/api/teams/alpha/tasks").token(otherTeam).send(), 403, "forbidden");
		String id = create("alpha", "{\"title\":\"private\"}").path("id").asString();
		assertProblem(HttpCall.to(this.port, "GET", "/api/tasks/" + id).token(otherTeam).send(), 404, "not-found");
		assertProblem(call("PATCH", "/api/tasks/" + id).header("Content-Type", "text/plain").body("{}").send(), 415,
				"unsupported-media-type");
		assertProblem(call("PATCH", "/api/tasks/" + id).body("{\"title\":null,\"id\":\"x\"}").send(), 400, "validation");
		assertProblem(call("PATCH", "/api/tasks/" + id).header("If-Match", "\"abc\"").body("{}").send(), 412, "version-conflict");
		Answer unknown = call("GET", "/api/no-such-thing").send();
		assertThat(unknown.status()).isEqualTo(404);
		assertThat(unknown.contentType()).isEqualTo("application/problem+json");
		assertThat(unknown.body().path("title").asString()).isEqualTo("Not Found");
	}

	@Test
	void theApiIsDescribedByAnOpenApiDocumentAndSwaggerUi() {
		Answer document = HttpCall.to(this.port, "GET", "/v3/api-docs").send();
		assertThat(document.status()).isEqualTo(200);
		assertThat(document.body().path("paths").propertyNames()).contains("/api/teams/{team}/tasks", "/api/tasks/{id}",
				"/api/rooms/{room}/events", "/api/rooms/{room}/presence");
		assertThat(document.body().path("paths").path("/api/tasks/{id}").path("patch").path("responses").has("412")).isTrue();
		assertThat(HttpCall.to(this.port, "GET", "/swagger-ui/index.html").send().status()).isEqualTo(200);
	}

	static void assertProblem(Answer answer, int status, String type) {
		assertThat(answer.status()).as(answer.body().toString()).isEqualTo(status);
		assertThat(answer.contentType()).isEqualTo("application/problem+json");
		assertThat(answer.body().path("type").asString()).isEqualTo(Problems.type(type));
		assertThat(answer.body().path("detail").asString()).isNotBlank();
	}

}
