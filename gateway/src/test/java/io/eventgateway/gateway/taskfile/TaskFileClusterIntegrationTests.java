package io.eventgateway.gateway.taskfile;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import io.eventgateway.gateway.testing.ExternalServices;
import io.eventgateway.gateway.testing.GatewayInstance;
import io.eventgateway.gateway.testing.TestClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/** Two instances watching one shared folder apply each change once between them. */
class TaskFileClusterIntegrationTests {

	@Test
	void aFileChangeSeenByTwoInstancesIsAppliedOnce(@TempDir Path shared) throws Exception {
		String database = ExternalServices.createDatabase();
		String prefix = ExternalServices.redisKeyPrefix();
		String[] properties = { "gateway.database.url=" + ExternalServices.r2dbcUrl(ExternalServices.postgresAddress(), database),
				"gateway.redis.url=" + ExternalServices.redisUrl(), "gateway.redis.key-prefix=" + prefix,
				"gateway.tasks.watch-dir=" + shared };
		try (GatewayInstance a = GatewayInstance.start(properties); GatewayInstance b = GatewayInstance.start(properties);
				TestClient member = a.connect("m", "team-both")) {
			member.send("{\"type\":\"join\",\"room\":\"team-both\"}");
			member.nextOfType("joined");
			Path file = Files.createDirectories(shared.resolve("both")).resolve("tasks.json");
			Files.writeString(file, "{\"tasks\":[" + task(1, "pending") + "," + task(2, "pending") + "," + task(3, "pending") + "]}");
			List<Long> created = member.eventSeqs("team-both", 3);
			assertThat(created).containsExactly(1L, 2L, 3L);

			Files.writeString(file, "{\"tasks\":[" + task(1, "done") + "," + task(2, "pending") + "," + task(3, "pending") + "]}");
			JsonNode updated = member.nextOfType("event");
			assertThat(updated.path("event").asString()).isEqualTo("task.updated");
			assertThat(updated.path("seq").asLong()).isEqualTo(4);
			Thread.sleep(1_000);
			assertThat(member.drain()).as("no second application by the other instance").isEmpty();
		}
		finally {
			ExternalServices.dropDatabase(database);
			ExternalServices.deleteRedisKeys(prefix);
		}
	}

	private static String task(int id, String status) {
		return "{\"id\":" + id + ",\"title\":\"t" + id + "\",\"status\":\"" + status + "\"}";
	}

}
