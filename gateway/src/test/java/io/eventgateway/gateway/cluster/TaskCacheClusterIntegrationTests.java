package io.eventgateway.gateway.cluster;

import java.time.Duration;

import io.eventgateway.gateway.testing.ExternalServices;
import io.eventgateway.gateway.testing.GatewayInstance;
import io.eventgateway.gateway.testing.HttpCall;
import io.eventgateway.gateway.testing.HttpCall.Answer;
import io.eventgateway.gateway.testing.PrivateRedis;
import io.eventgateway.gateway.testing.TestTokens;
import io.eventgateway.gateway.testing.TwoInstanceCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Cache-aside task reads on two instances sharing PostgreSQL and Redis. */
class TaskCacheClusterIntegrationTests {

	private static final String TOKEN = TestTokens.forRooms("lead", "team-*");

	private static TwoInstanceCluster cluster;

	private static GatewayInstance a;

	private static GatewayInstance b;

	@BeforeAll
	static void startTwoInstances() {
		cluster = TwoInstanceCluster.start("gateway.http.rate-limit=1", "gateway.http.rate-limit-burst=300");
		a = cluster.a();
		b = cluster.b();
	}

	@AfterAll
	static void stop() {
		if (cluster != null) {
			cluster.close();
		}
	}

	private static HttpCall call(GatewayInstance instance, String method, String path) {
		return HttpCall.to(instance.port(), method, path).token(TOKEN);
	}

	@Test
	void aWriteThroughOneInstanceIsNeverServedStaleByTheOther() {
		Answer created = call(a, "POST", "/api/teams/shared/tasks").body("{\"title\":\"v1\"}").send();
		assertThat(created.status()).isEqualTo(201);
		String id = created.body().path("id").asString();
		// A write puts the new version into the shared tier: both instances find it there.
		assertThat(call(a, "GET", "/api/tasks/" + id).send().header("X-Cache")).isEqualTo("HIT");
		Answer fromShared = call(b, "GET", "/api/tasks/" + id).send();
		assertThat(fromShared.header("X-Cache")).isEqualTo("HIT");
		assertThat(fromShared.header("X-Room-Seq")).isEqualTo(created.header("X-Room-Seq"));

		for (int round = 2; round <= 40; round++) {
			GatewayInstance writer = (round % 2 == 0) ? a : b;
			GatewayInstance reader = (writer == a) ? b : a;
			call(reader, "GET", "/api/tasks/" + id).send(); // cached on the reader
			Answer written = call(writer, "PATCH", "/api/tasks/" + id).body("{\"title\":\"v" + round + "\"}").send();
			assertThat(written.status()).isEqualTo(200);
			Answer read = call(reader, "GET", "/api/tasks/" + id).send();
			assertThat(read.body().path("version").asLong()).as("read after write %d", round).isEqualTo(round);
			assertThat(read.body().path("title").asString()).isEqualTo("v" + round);
			assertThat(read.header("X-Room-Seq")).isEqualTo(written.header("X-Room-Seq"));
		}

		assertThat(call(a, "DELETE", "/api/tasks/" + id).send().status()).isEqualTo(204);
		assertThat(call(b, "GET", "/api/tasks/" + id).send().status()).isEqualTo(404);
	}

	@Test
	void theRateLimitIsSharedByTheInstances() {
		String token = TestTokens.forRooms("shared-limit", "team-*");
		int allowed = 0;
		int refused = 0;
		long started = System.nanoTime();
		// One bucket for both instances: a burst of 300 at 1 request/s, whichever instance is asked.
		for (int i = 0; i < 350; i++) {
			int status = HttpCall.to((i % 2 == 0 ? a : b).port(), "GET", "/api/teams/limits/tasks?limit=1").token(token).send().status();
			if (status == 200) {
				allowed++;
			}
			else if (status == 429) {
				refused++;
			}
		}
		long refilled = (System.nanoTime() - started) / 1_000_000_000L + 1;
		assertThat(allowed).isBetween(300, 300 + (int) refilled);
		assertThat(refused).isEqualTo(350 - allowed);
	}

	@Test
	void readsGoToTheDatabaseWhileRedisIsDown() {
		String ownDatabase = ExternalServices.createDatabase();
		try (PrivateRedis redis = new PrivateRedis().start();
				GatewayInstance instance = GatewayInstance.start(
						"gateway.database.url=" + ExternalServices.r2dbcUrl(ExternalServices.postgresAddress(), ownDatabase),
						"gateway.redis.url=" + redis.url(), "gateway.redis.key-prefix=" + ExternalServices.redisKeyPrefix(),
						"gateway.redis.reconnect-max-delay=500ms", "gateway.redis.command-timeout=500ms")) {
			String id = call(instance, "POST", "/api/teams/outage/tasks").body("{\"title\":\"before\"}").send().body().path("id").asString();
			call(instance, "GET", "/api/tasks/" + id).send();
			assertThat(call(instance, "GET", "/api/tasks/" + id).send().header("X-Cache")).isEqualTo("HIT");

			redis.kill();
			// Once the instance noticed (the connection's close), its local cache stops answering.
			await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
				Answer duringOutage = call(instance, "GET", "/api/tasks/" + id).send();
				assertThat(duringOutage.status()).isEqualTo(200);
				assertThat(duringOutage.header("X-Cache")).as("a local cache that cannot hear writes does not answer").isEqualTo("MISS");
			});
			Answer written = call(instance, "PATCH", "/api/tasks/" + id).body("{\"title\":\"during\"}").send();
			assertThat(written.status()).as(written.body().toString()).isEqualTo(200);
			assertThat(call(instance, "GET", "/api/tasks/" + id).send().body().path("title").asString()).isEqualTo("during");
		}
		finally {
			ExternalServices.dropDatabase(ownDatabase);
		}
	}

}
