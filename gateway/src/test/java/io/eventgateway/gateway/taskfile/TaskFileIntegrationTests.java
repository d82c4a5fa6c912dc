package io.eventgateway.gateway.taskfile;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import io.eventgateway.gateway.metrics.GatewayMeters;
import io.eventgateway.gateway.testing.GatewayInstance;
import io.eventgateway.gateway.testing.HttpCall;
import io.eventgateway.gateway.testing.TestClient;
import io.eventgateway.gateway.testing.TestTokens;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Real task files in a real folder, watched by a running gateway, seen by real WebSocket clients. */
class TaskFileIntegrationTests {

	private static final String TOKEN = TestTokens.forRooms("lead", "team-*");

	@TempDir
	static Path folder;

	private static GatewayInstance gateway;

	@BeforeAll
	static void start() {
		gateway = GatewayInstance.start("gateway.tasks.watch-dir=" + folder, "gateway.ws.ping-interval=10m",
				"gateway.ws.idle-timeout=20m", "gateway.http.rate-limit=100000", "gateway.http.rate-limit-burst=100000");
	}

	@AfterAll
	static void stop() {
		gateway.close();
	}

	private static TestClient member(String team) {
		TestClient client = gateway.connect("watcher-" + team, "team-" + team);
		client.send("{\"type\":\"join\",\"room\":\"team-" + team + "\"}");
		client.nextOfType("joined");
		return client;
	}

	private static void write(String team, String content) throws IOException {
		Path dir = folder.resolve(team);
		Files.createDirectories(dir);
		Files.writeString(dir.resolve("tasks.json"), content);
	}

	private static String tagged(String... tasks) {
		return "{\"master\":{\"tasks\":[" + String.join(",", tasks) + "],\"metadata\":{\"created\":\"2026-01-01\"}}}";
	}

	private static String task(int id, String title, String status) {
		return "{\"id\":" + id + ",\"title\":\"" + title + "\",\"description\":\"d\",\"status\":\"" + status
				+ "\",\"priority\":\"high\",\"dependencies\":[],\"subtasks\":[]}";
	}

	private static List<JsonNode> tasksOf(String team) {
		List<JsonNode> tasks = new ArrayList<>();
		HttpCall.to(gateway.port(), "GET", "/api/teams/" + team + "/tasks?limit=100").token(TOKEN).send().body().path("items")
			.forEach(tasks::add);
		return tasks;
	}

	private static double counter(String name, String... tags) {
		var counter = gateway.bean(MeterRegistry.class).find(name).tags(tags).counter();
		return (counter == null) ? 0 : counter.count();
	}

	@Test
	void creatingChangingAndRemovingTasksInAFileBecomesTaskEvents() throws Exception {
		try (TestClient client = member("files-a")) {
			write("files-a", tagged(task(1, "one", "pending"), task(2, "two", "pending"), task(3, "three", "pending")));
			List<String> created = new ArrayList<>();
			for (int i = 0; i < 3; i++) {
				JsonNode event = client.nextOfType("event");
				assertThat(event.path("event").asString()).isEqualTo("task.created");
				assertThat(event.has("from")).as("no user behind a file's change").isFalse();
				created.add(event.path("data").path("title").asString());
			}
			assertThat(created).containsExactly("one", "two", "three");
			assertThat(tasksOf("files-a")).extracting(task -> task.path("priority").asString()).containsOnly("high");

			write("files-a", tagged(task(1, "one", "pending"), task(2, "two", "done")));
			JsonNode updated = client.nextOfType("event");
			assertThat(updated.path("event").asString()).isEqualTo("task.updated");
			assertThat(updated.path("data").path("status").asString()).isEqualTo("done");
			assertThat(updated.path("data").path("version").asLong()).isEqualTo(2);
			JsonNode deleted = client.nextOfType("event");
			assertThat(deleted.path("event").asString()).isEqualTo("task.deleted");
			assertThat(tasksOf("files-a")).extracting(task -> task.path("title").asString()).containsExactly("one", "two");
		}
	}

	@Test
	void aFileBeyondTheApisLimitsIsRefusedWholeAndChangesNothing() throws Exception {
		try (TestClient client = member("files-limits")) {
			write("files-limits", tagged(task(1, "one", "pending")));
			assertThat(client.nextOfType("event").path("event").asString()).isEqualTo("task.created");
			String longAssignee = "{\"id\":2,\"title\":\"two\",\"assignee\":\"" + "a".repeat(200) + "\"}";
			String manyDependencies = "{\"id\":3,\"title\":\"three\",\"dependencies\":["
					+ String.join(",", Collections.nCopies(300, "1")) + "]}";
			String controlCharacter = "{\"id\":4,\"title\":\"fo\\u0000ur\"}";
			for (String bad : new String[] { longAssignee, manyDependencies, controlCharacter }) {
				double refusedBefore = counter("gateway.task.files.refused", "reason", "invalid");
				// The good change in the same file must not be applied either.
				write("files-limits", tagged(task(1, "one changed", "done"), bad));
				await().atMost(Duration.ofSeconds(10)).until(() -> counter("gateway.task.files.refused", "reason", "invalid") > refusedBefore);
				assertThat(tasksOf("files-limits")).extracting(task -> task.path("title").asString()).containsExactly("one");
			}
			assertThat(client.drain()).noneMatch(message -> "event".equals(message.path("type").asString()));
		}
	}

	@Test
	void aLinkOutOfTheWatchedFolderAndAnOversizedFileAreRefused() throws Exception {
		Path outside = Files.createTempFile("host-file", ".json");
		try (TestClient client = member("files-escape")) {
			Files.writeString(outside, tagged(task(1, "from outside", "pending")));
			Files.createDirectories(folder.resolve("files-escape"));
			double refusedBefore = counter("gateway.task.files.refused", "reason", "invalid");
			Files.createSymbolicLink(folder.resolve("files-escape").resolve("tasks.json"), outside);
			await().atMost(Duration.ofSeconds(10))
				.until(() -> counter("gateway.task.files.refused", "reason", "invalid") > refusedBefore);
			assertThat(tasksOf("files-escape")).isEmpty();

			Files.delete(folder.resolve("files-escape").resolve("tasks.json"));
			double refusedAgain = counter("gateway.task.files.refused", "reason", "invalid");
			// Valid JSON, but over the 1 MB limit: it is not read into memory.
			write("files-escape", tagged(task(1, "big", "pending")).replace("{\"master\"", " ".repeat(1_100_000) + "{\"master\""));
			await().atMost(Duration.ofSeconds(10))
				.until(() -> counter("gateway.task.files.refused", "reason", "invalid") > refusedAgain);
			assertThat(tasksOf("files-escape")).isEmpty();
			assertThat(client.drain()).noneMatch(message -> "event".equals(message.path("type").asString()));
		}
		finally {
			Files.deleteIfExists(outside);
		}
	}

	@Test
	void tasksOfTagsOtherThanMasterAreRead() throws Exception {
		try (TestClient client = member("files-tags")) {
			write("files-tags", "{\"master\":{\"tasks\":[" + task(1, "on master", "pending") + "]},"
					+ "\"feature-x\":{\"tasks\":[" + task(1, "on feature-x", "pending") + "]}}");
			List<String> titles = new ArrayList<>();
			titles.add(client.nextOfType("event").path("data").path("title").asString());
			titles.add(client.nextOfType("event").path("data").path("title").asString());
			assertThat(titles).containsExactlyInAnyOrder("on master", "on feature-x");
		}
	}

	@Test
	void aBurstOfAThousandWritesIsAppliedAsAHandfulOfVersionsTheLastOneCorrect() throws Exception {
		try (TestClient client = member("files-burst")) {
			write("files-burst", tagged(task(1, "start", "pending")));
			client.nextOfType("event");
			long started = System.nanoTime();
			for (int i = 1; i <= 1000; i++) {
				write("files-burst", tagged(task(1, "v" + i, "pending")));
			}
			assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
			await().atMost(Duration.ofSeconds(10))
				.untilAsserted(() -> assertThat(tasksOf("files-burst").get(0).path("title").asString()).isEqualTo("v1000"));
			Thread.sleep(500);
			List<JsonNode> updates = client.drain().stream().filter(message -> "event".equals(message.path("type").asString())).toList();
			assertThat(updates).hasSizeBetween(1, 10);
			assertThat(updates.get(updates.size() - 1).path("data").path("title").asString()).isEqualTo("v1000");
		}
	}

	@Test
	void aHundredFilesChangedAtOnceAreAllApplied() throws Exception {
		for (int i = 0; i < 100; i++) {
			write("files-many-" + i, "{\"tasks\":[{\"id\":1,\"title\":\"team " + i + "\",\"status\":\"review\"}]}");
		}
		await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
			for (int i = 0; i < 100; i++) {
				List<JsonNode> tasks = tasksOf("files-many-" + i);
				assertThat(tasks).as("team %d", i).hasSize(1);
				assertThat(tasks.get(0).path("title").asString()).isEqualTo("team " + i);
				assertThat(tasks.get(0).path("status").asString()).isEqualTo("review");
			}
		});
	}

	@Test
	void aCorruptOrInvalidFileChangesNothingAndTheNextGoodVersionIsApplied() throws Exception {
		try (TestClient client = member("files-bad")) {
			write("files-bad", tagged(task(1, "good", "pending")));
			assertThat(client.nextOfType("event").path("event").asString()).isEqualTo("task.created");
			double refused = counter(GatewayMeters.TASK_FILES_REFUSED, "reason", "invalid");

			write("files-bad", "{\"master\":{\"tasks\":[{\"id\":1,\"title\":\"half");
			await().atMost(Duration.ofSeconds(5))
				.until(() -> counter(GatewayMeters.TASK_FILES_REFUSED, "reason", "invalid") >= refused + 1);
			write("files-bad", tagged("{\"title\":\"no id\"}", task(1, "changed", "pending")));
			await().atMost(Duration.ofSeconds(5))
				.until(() -> counter(GatewayMeters.TASK_FILES_REFUSED, "reason", "invalid") >= refused + 2);
			assertThat(client.poll(Duration.ofMillis(300))).as("nothing announced for refused files").isNull();
			assertThat(tasksOf("files-bad")).extracting(task -> task.path("title").asString()).containsExactly("good");

			write("files-bad", tagged(task(1, "fixed", "in-progress")));
			JsonNode updated = client.nextOfType("event");
			assertThat(updated.path("data").path("title").asString()).isEqualTo("fixed");
			assertThat(tasksOf("files-bad").get(0).path("status").asString()).isEqualTo("in-progress");
		}
	}

	@Test
	void aVanishedFileIsReportedAndItsTasksStay() throws Exception {
		write("files-gone", tagged(task(1, "stays", "pending")));
		await().atMost(Duration.ofSeconds(5)).until(() -> tasksOf("files-gone").size() == 1);
		double vanished = counter(GatewayMeters.TASK_FILES_REFUSED, "reason", "vanished");
		Files.delete(folder.resolve("files-gone").resolve("tasks.json"));
		await().atMost(Duration.ofSeconds(5)).until(() -> counter(GatewayMeters.TASK_FILES_REFUSED, "reason", "vanished") > vanished);
		assertThat(tasksOf("files-gone")).hasSize(1);
	}

}
