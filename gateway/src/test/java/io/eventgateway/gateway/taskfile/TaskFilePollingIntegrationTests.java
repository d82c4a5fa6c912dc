package io.eventgateway.gateway.taskfile;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import io.eventgateway.gateway.testing.GatewayInstance;
import io.eventgateway.gateway.testing.HttpCall;
import io.eventgateway.gateway.testing.TestTokens;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Task files on a file system without change events: found by polling. */
class TaskFilePollingIntegrationTests {

	private static final String TOKEN = TestTokens.forRooms("lead", "team-*");

	@Test
	void pollingFindsChangesOnFileSystemsWithoutEvents(@TempDir Path polled) throws Exception {
		try (GatewayInstance polling = GatewayInstance.start("gateway.tasks.watch-dir=" + polled, "gateway.tasks.polling=true",
				"gateway.tasks.poll-interval=100ms")) {
			Path dir = Files.createDirectories(polled.resolve("files-polled"));
			Files.writeString(dir.resolve("tasks.json"),
					"{\"master\":{\"tasks\":[{\"id\":7,\"title\":\"polled\",\"status\":\"deferred\"}]}}");
			await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
				JsonNode page = HttpCall.to(polling.port(), "GET", "/api/teams/files-polled/tasks").token(TOKEN).send().body();
				assertThat(page.path("items")).hasSize(1);
				assertThat(page.path("items").get(0).path("status").asString()).isEqualTo("deferred");
			});
			Files.writeString(dir.resolve("tasks.json"),
					"{\"master\":{\"tasks\":[{\"id\":7,\"title\":\"polled\",\"status\":\"done\"}]}}");
			await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(HttpCall.to(polling.port(), "GET",
					"/api/teams/files-polled/tasks").token(TOKEN).send().body().path("items").get(0).path("status").asString())
				.isEqualTo("done"));
		}
	}

}
