package io.eventgateway.gateway.cluster;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.LongStream;

import io.eventgateway.gateway.metrics.GatewayMeters;
import io.eventgateway.gateway.testing.ExternalServices;
import io.eventgateway.gateway.testing.GatewayInstance;
import io.eventgateway.gateway.testing.HttpCall;
import io.eventgateway.gateway.testing.PrivateRedis;
import io.eventgateway.gateway.testing.TestClient;
import io.eventgateway.gateway.testing.TwoInstanceCluster;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A Redis frozen with its connections open (SIGSTOP): nothing closes, so only the probe an instance
 * sends itself finds it. Readiness goes down and the broker's health says why; once Redis goes on,
 * what another instance stored meanwhile reaches the subscribers, each event once and in order.
 */
class BrokerProbeIntegrationTests {

	@Test
	void aFrozenRedisTurnsReadinessDownAndNothingStoredMeanwhileIsMissedOrDoubled() throws Exception {
		String database = ExternalServices.createDatabase();
		try (PrivateRedis redis = new PrivateRedis().start()) {
			String[] properties = {
					"gateway.database.url=" + ExternalServices.r2dbcUrl(ExternalServices.postgresAddress(), database),
					"gateway.redis.url=" + redis.url(), "gateway.redis.key-prefix=" + ExternalServices.redisKeyPrefix(),
					"gateway.redis.command-timeout=1s", "gateway.redis.probe-interval=500ms",
					"gateway.redis.probe-timeout=1s",
					// Only the probe's catch-up may bring what Redis did not: the periodic sweep is out of the way.
					TwoInstanceCluster.NO_PERIODIC_CATCH_UP, "management.server.port=0" };
			try (GatewayInstance a = GatewayInstance.start(properties); GatewayInstance b = GatewayInstance.start(properties);
					TestClient subscriber = a.connect("s", "team-*"); TestClient publisher = b.connect("p", "team-*")) {
				String room = "team-frozen";
				subscriber.send("{\"type\":\"join\",\"room\":\"" + room + "\"}");
				subscriber.nextOfType("joined");
				AtomicInteger unavailable = new AtomicInteger();
				int acked = Publishing.publish(publisher, room, "before", 5, 0, unavailable);
				assertThat(subscriber.eventSeqs(room, acked)).containsExactly(1L, 2L, 3L, 4L, 5L);

				redis.pause();
				try {
					await().atMost(Duration.ofSeconds(10))
						.until(() -> HttpCall.to(a.managementPort(), "GET", "/actuator/health/readiness").send().status() == 503);
					await().atMost(Duration.ofSeconds(10))
						.until(() -> HttpCall.to(a.managementPort(), "GET", "/actuator/health/redis").send().body().toString(),
								health -> health.contains("DOWN") && health.contains("not back within"));
					assertThat(HttpCall.to(a.managementPort(), "GET", "/actuator/health/liveness").send().status()).isEqualTo(200);
					acked += Publishing.publish(publisher, room, "frozen", 10, 0, unavailable);
				}
				finally {
					redis.resume();
				}
				assertThat(unavailable.get()).as("the store was up: every publish commits").isZero();
				assertThat(acked).isEqualTo(15);

				await().atMost(Duration.ofSeconds(15))
					.until(() -> HttpCall.to(a.managementPort(), "GET", "/actuator/health/readiness").send().status() == 200);
				assertThat(subscriber.eventSeqsUpTo(room, acked))
					.containsExactlyElementsOf(LongStream.rangeClosed(6, acked).boxed().toList());
				Thread.sleep(2_000);
				assertThat(subscriber.drain()).as("no event twice")
					.noneMatch(message -> "event".equals(message.path("type").asString()));

				MeterRegistry meters = a.bean(MeterRegistry.class);
				assertThat(meters.get(GatewayMeters.REDIS_PROBE_FAILURES).counter().count()).isPositive();
				assertThat(meters.get(GatewayMeters.REDIS_SUBSCRIBER_RENEWALS).counter().count()).isPositive();
			}
		}
		finally {
			ExternalServices.dropDatabase(database);
		}
	}

}
