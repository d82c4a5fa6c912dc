package io.eventgateway.gateway.taskfile;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Set;
import java.util.stream.Stream;

import io.eventgateway.gateway.testing.GatewayInstance;
import io.eventgateway.gateway.testing.HttpCall;
import io.eventgateway.gateway.testing.TestClient;
import io.eventgateway.gateway.testing.TestTokens;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Changes made over HTTP to tasks from a file go back into the file, and are not echoed back. */
class TaskFileWriteBackIntegrationTests {

	private static final String TOKEN = TestTokens.forRooms("lead", "team-*");

	private static final JsonMapper JSON = JsonMapper.builder().build();

	@Test
	void anHttpChangeIsWrittenIntoTheTeamsFileWithoutASecondEvent(@TempDir Path folder) throws Exception {
		try (GatewayInstance gateway = GatewayInstance.start("gateway.tasks.watch-dir=" + folder, "gateway.tasks.write-back=true",
				"gateway.ws.ping-interval=10m", "gateway.ws.idle-timeout=20m");
				TestClient member = gateway.connect("m", "team-back")) {
			member.send("{\"type\":\"join\",\"room\":\"team-back\"}");
			member.nextOfType("joined");
			Path file = Files.createDirectories(folder.resolve("back")).resolve("tasks.json");
			// Made with its permissions: a later chmod would be one more change for the watcher to read.
			Set<PosixFilePermission> permissions = PosixFilePermissions.fromString("rw-r-----");
			Files.createFile(file, PosixFilePermissions.asFileAttribute(permissions));
			Files.writeString(file, """
					{"master":{"tasks":[
					  {"id":1,"title":"one","status":"pending","priority":"high","dependencies":[],"details":"keep me","subtasks":[{"id":1,"title":"sub"}]},
					  {"id":2,"title":"two","status":"pending","priority":"low","dependencies":[1]}
					],"metadata":{"created":"2026-01-01"}}}""");
			member.eventSeqs("team-back", 2);
			JsonNode page = HttpCall.to(gateway.port(), "GET", "/api/teams/back/tasks").token(TOKEN).send().body();
			String one = page.path("items").get(0).path("id").asString();
			String two = page.path("items").get(1).path("id").asString();

			assertThat(HttpCall.to(gateway.port(), "PATCH", "/api/tasks/" + one).token(TOKEN).body("{\"status\":\"done\"}").send().status())
				.isEqualTo(200);
			JsonNode written = await().atMost(Duration.ofSeconds(5)).until(() -> JSON.readTree(Files.readString(file)),
					root -> "done".equals(root.path("master").path("tasks").get(0).path("status").asString()));
			JsonNode first = written.path("master").path("tasks").get(0);
			assertThat(first.path("details").asString()).isEqualTo("keep me");
			assertThat(first.path("subtasks")).hasSize(1);
			assertThat(written.path("master").path("metadata").path("created").asString()).isEqualTo("2026-01-01");
			assertThat(Files.getPosixFilePermissions(file)).as("the file keeps its permissions").isEqualTo(permissions);

			assertThat(HttpCall.to(gateway.port(), "DELETE", "/api/tasks/" + two).token(TOKEN).send().status()).isEqualTo(204);
			await().atMost(Duration.ofSeconds(5))
				.until(() -> JSON.readTree(Files.readString(file)).path("master").path("tasks").size() == 1);

			assertThat(member.nextOfType("event").path("event").asString()).isEqualTo("task.updated");
			assertThat(member.nextOfType("event").path("event").asString()).isEqualTo("task.deleted");
			Thread.sleep(1_000);
			assertThat(member.drain()).as("the watcher applied the written file without a second change").isEmpty();
			JsonNode after = HttpCall.to(gateway.port(), "GET", "/api/tasks/" + one).token(TOKEN).send().body();
			assertThat(after.path("version").asLong()).isEqualTo(2);
			try (Stream<Path> left = Files.list(file.getParent())) {
				assertThat(left.map(path -> path.getFileName().toString())).as("no temporary file is left").containsExactly("tasks.json");
			}
		}
	}

}
