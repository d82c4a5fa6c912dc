package io.eventgateway.gateway.cluster;

import java.time.Duration;

import io.eventgateway.gateway.testing.ExternalServices;
import io.eventgateway.gateway.testing.GatewayInstance;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A gateway that stops takes its Redis client's event loops and timers with it. */
class RedisClientShutdownIntegrationTests {

	private static long lettuceThreads() {
		return Thread.getAllStackTraces().keySet().stream()
			.filter(thread -> thread.isAlive() && thread.getName().startsWith("lettuce-"))
			.count();
	}

	@Test
	void noRedisClientThreadOutlivesTheGateway() {
		long before = lettuceThreads();
		String database = ExternalServices.createDatabase();
		String prefix = ExternalServices.redisKeyPrefix();
		try {
			try (GatewayInstance gateway = GatewayInstance.start(
					"gateway.database.url=" + ExternalServices.r2dbcUrl(ExternalServices.postgresAddress(), database),
					"gateway.redis.url=" + ExternalServices.redisUrl(), "gateway.redis.key-prefix=" + prefix)) {
				assertThat(lettuceThreads()).as("the client runs its own threads").isGreaterThan(before);
			}
			await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(lettuceThreads()).isLessThanOrEqualTo(before));
		}
		finally {
			ExternalServices.dropDatabase(database);
			ExternalServices.deleteRedisKeys(prefix);
		}
	}

}
