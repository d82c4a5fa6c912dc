package io.eventgateway.gateway.cluster;

import java.net.URI;
import java.time.Duration;
import java.util.Map;

import io.eventgateway.core.room.Presence;
import io.eventgateway.gateway.testing.ExternalServices;
import io.eventgateway.gateway.testing.FaultProxy;
import io.eventgateway.gateway.testing.GatewayInstance;
import io.eventgateway.gateway.testing.PrivateRedis;
import io.eventgateway.gateway.testing.TestClient;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Presence is cluster-wide, and the members of an instance that stops renewing its lease (here: cut
 * off from Redis, which is a crash as far as the others can tell) disappear within seconds; those of
 * instances that live through a Redis freeze longer than the lease come back.
 */
class PresenceIntegrationTests {

	@Test
	void membersOfEveryInstanceAreSeenAndThoseOfALostInstanceVanish() {
		String database = ExternalServices.createDatabase();
		URI redis = URI.create(ExternalServices.redisUrl());
		String prefix = ExternalServices.redisKeyPrefix();
		String databaseUrl = ExternalServices.r2dbcUrl(ExternalServices.postgresAddress(), database);
		try (FaultProxy redisForA = new FaultProxy(redis.getHost() + ":" + redis.getPort());
				GatewayInstance a = GatewayInstance.start("gateway.database.url=" + databaseUrl,
						"gateway.redis.url=redis://" + redisForA.address(), "gateway.redis.key-prefix=" + prefix,
						"gateway.redis.presence-lease=2s");
				GatewayInstance b = GatewayInstance.start("gateway.database.url=" + databaseUrl,
						"gateway.redis.url=" + ExternalServices.redisUrl(), "gateway.redis.key-prefix=" + prefix,
						"gateway.redis.presence-lease=2s");
				TestClient aliceOnA = a.connect("alice", "team-*"); TestClient aliceAgainOnA = a.connect("alice", "team-*");
				TestClient bobOnB = b.connect("bob", "team-*")) {
			for (TestClient client : new TestClient[] { aliceOnA, aliceAgainOnA, bobOnB }) {
				client.send("{\"type\":\"join\",\"room\":\"team-p\"}");
				client.nextOfType("joined");
			}
			Presence fromB = b.bean(Presence.class);
			await().atMost(Duration.ofSeconds(10))
				.untilAsserted(() -> assertThat(fromB.members("team-p").block()).isEqualTo(Map.of("alice", 2, "bob", 1)));
			assertThat(a.bean(Presence.class).members("team-p").block()).isEqualTo(Map.of("alice", 2, "bob", 1));

			aliceAgainOnA.send("{\"type\":\"leave\",\"room\":\"team-p\"}");
			aliceAgainOnA.nextOfType("left");
			await().atMost(Duration.ofSeconds(10))
				.untilAsserted(() -> assertThat(fromB.members("team-p").block()).isEqualTo(Map.of("alice", 1, "bob", 1)));

			redisForA.cut();
			await().atMost(Duration.ofSeconds(8))
				.untilAsserted(() -> assertThat(fromB.members("team-p").block()).isEqualTo(Map.of("bob", 1)));
		}
		finally {
			ExternalServices.dropDatabase(database);
		}
	}

	@Test
	void membersComeBackAfterRedisWasFrozenForLongerThanTheLease() throws Exception {
		String database = ExternalServices.createDatabase();
		try (PrivateRedis redis = new PrivateRedis().start()) {
			String[] properties = { "gateway.database.url=" + ExternalServices.r2dbcUrl(ExternalServices.postgresAddress(), database),
					"gateway.redis.url=" + redis.url(), "gateway.redis.key-prefix=" + ExternalServices.redisKeyPrefix(),
					"gateway.redis.presence-lease=2s", "gateway.redis.command-timeout=1s", "gateway.redis.reconnect-max-delay=1s" };
			try (GatewayInstance a = GatewayInstance.start(properties); GatewayInstance b = GatewayInstance.start(properties);
					TestClient aliceOnA = a.connect("alice", "team-*"); TestClient bobOnB = b.connect("bob", "team-*")) {
				for (TestClient client : new TestClient[] { aliceOnA, bobOnB }) {
					client.send("{\"type\":\"join\",\"room\":\"team-frozen\"}");
					client.nextOfType("joined");
				}
				Map<String, Integer> everyone = Map.of("alice", 1, "bob", 1);
				for (GatewayInstance instance : new GatewayInstance[] { a, b }) {
					await().atMost(Duration.ofSeconds(10))
						.untilAsserted(() -> assertThat(instance.bean(Presence.class).members("team-frozen").block()).isEqualTo(everyone));
				}
				// Both instances' leases run out during the freeze while their renewals wait unanswered.
				redis.pause();
				Thread.sleep(5_000);
				redis.resume();
				for (GatewayInstance instance : new GatewayInstance[] { a, b }) {
					await().atMost(Duration.ofSeconds(10)).ignoreExceptions()
						.untilAsserted(() -> assertThat(instance.bean(Presence.class).members("team-frozen").block()).isEqualTo(everyone));
				}
				// And they stay: not a write that a reader's clean-up of dead instances removes again.
				Thread.sleep(4_000);
				assertThat(b.bean(Presence.class).members("team-frozen").block()).isEqualTo(everyone);
			}
		}
		finally {
			ExternalServices.dropDatabase(database);
		}
	}

}
