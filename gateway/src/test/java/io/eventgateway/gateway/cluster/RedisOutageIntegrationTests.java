package io.eventgateway.gateway.cluster;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.LongStream;

import io.eventgateway.core.room.RoomRegistry;
import io.eventgateway.gateway.testing.ExternalServices;
import io.eventgateway.gateway.testing.GatewayInstance;
import io.eventgateway.gateway.testing.HttpCall;
import io.eventgateway.gateway.testing.PrivateRedis;
import io.eventgateway.gateway.testing.TestClient;
import io.eventgateway.gateway.testing.TwoInstanceCluster;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A private Redis killed and restarted while both instances publish: publishes keep committing, and
 * once Redis is back every subscriber has every acknowledged event, in order. The periodic catch-up
 * is off: what was published during the outage comes with the catch-up of the reconnection.
 */
class RedisOutageIntegrationTests {

	@Test
	void everyAcknowledgedEventReachesEverySubscriberAcrossARedisRestart() throws Exception {
		String database = ExternalServices.createDatabase();
		try (PrivateRedis redis = new PrivateRedis().start()) {
			String[] properties = {
					"gateway.database.url=" + ExternalServices.r2dbcUrl(ExternalServices.postgresAddress(), database),
					"gateway.redis.url=" + redis.url(), "gateway.redis.key-prefix=" + ExternalServices.redisKeyPrefix(),
					TwoInstanceCluster.NO_PERIODIC_CATCH_UP, "gateway.redis.reconnect-max-delay=1s" };
			try (GatewayInstance a = GatewayInstance.start(properties); GatewayInstance b = GatewayInstance.start(properties);
					TestClient subscriberA = a.connect("sa", "team-*"); TestClient subscriberB = b.connect("sb", "team-*");
					TestClient publisherA = a.connect("pa", "team-*"); TestClient publisherB = b.connect("pb", "team-*")) {
				String room = "team-outage";
				for (TestClient subscriber : new TestClient[] { subscriberA, subscriberB }) {
					subscriber.send("{\"type\":\"join\",\"room\":\"" + room + "\"}");
					subscriber.nextOfType("joined");
				}
				AtomicInteger unavailable = new AtomicInteger();
				CompletableFuture<Integer> fromA = CompletableFuture.supplyAsync(() -> publish(publisherA, room, "a", unavailable));
				CompletableFuture<Integer> fromB = CompletableFuture.supplyAsync(() -> publish(publisherB, room, "b", unavailable));

				Thread.sleep(1_000);
				redis.kill();
				try (TestClient newcomer = a.connect("n", "team-*")) {
					// A room new to this instance needs a subscription, which Redis cannot give now: undone.
					newcomer.send("{\"type\":\"join\",\"room\":\"team-new\",\"ref\":\"j\"}");
					JsonNode refused = newcomer.nextMatching(message -> "j".equals(message.path("ref").asString()));
					assertThat(refused.path("code").asString()).isEqualTo("unavailable");
					assertThat(a.bean(RoomRegistry.class).memberCount("team-new")).isZero();
				}
				await().atMost(Duration.ofSeconds(5)).until(() -> HttpCall.to(a.port(), "GET", "/actuator/health/readiness").send()
					.status() == 503);
				assertThat(HttpCall.to(a.port(), "GET", "/actuator/health/liveness").send().status()).isEqualTo(200);
				Thread.sleep(1_500);
				redis.start();

				int acked = fromA.get() + fromB.get();
				assertThat(unavailable.get()).as("the store was up: every publish commits").isZero();
				assertThat(acked).isEqualTo(2 * 200);
				var expected = LongStream.rangeClosed(1, acked).boxed().toList();
				assertThat(subscriberA.eventSeqs(room, acked)).containsExactlyElementsOf(expected);
				assertThat(subscriberB.eventSeqs(room, acked)).containsExactlyElementsOf(expected);
				await().atMost(Duration.ofSeconds(10)).until(() -> HttpCall.to(a.port(), "GET", "/actuator/health/readiness").send()
					.status() == 200);
			}
		}
		finally {
			ExternalServices.dropDatabase(database);
		}
	}

	@Test
	void eventsPublishedWhileRedisIsDownArriveWhenItIsBackAndLaterOnesComeThroughRedisAgain() throws Exception {
		String database = ExternalServices.createDatabase();
		try (PrivateRedis redis = new PrivateRedis().start()) {
			String[] properties = {
					"gateway.database.url=" + ExternalServices.r2dbcUrl(ExternalServices.postgresAddress(), database),
					"gateway.redis.url=" + redis.url(), "gateway.redis.key-prefix=" + ExternalServices.redisKeyPrefix(),
					TwoInstanceCluster.NO_PERIODIC_CATCH_UP, "gateway.redis.reconnect-max-delay=500ms",
					"gateway.redis.probe-interval=500ms", "gateway.redis.probe-timeout=1s" };
			try (GatewayInstance a = GatewayInstance.start(properties); GatewayInstance b = GatewayInstance.start(properties);
					TestClient subscriber = a.connect("s", "team-*"); TestClient publisher = b.connect("p", "team-*")) {
				String room = "team-during";
				subscriber.send("{\"type\":\"join\",\"room\":\"" + room + "\"}");
				subscriber.nextOfType("joined");
				AtomicInteger unavailable = new AtomicInteger();
				Map<Long, Long> before = new ConcurrentHashMap<>();
				Publishing.publish(publisher, room, "before", 3, 0, unavailable, before);
				DeliveryBound.assertEachWithin(before, subscriber.eventArrivals(room, 3, DeliveryBound.untilBoundOf(DeliveryBound.lastAck(before))));

				redis.kill();
				assertThat(Publishing.publish(publisher, room, "during", 5, 0, unavailable)).as("the store is up").isEqualTo(5);
				assertThat(subscriber.poll(Duration.ofMillis(1500))).as("nothing but Redis could bring them now").isNull();
				redis.start();

				assertThat(subscriber.eventSeqs(room, 5)).containsExactly(4L, 5L, 6L, 7L, 8L);
				for (GatewayInstance instance : List.of(a, b)) {
					await().atMost(Duration.ofSeconds(15))
						.until(() -> HttpCall.to(instance.port(), "GET", "/actuator/health/readiness").send().status() == 200);
				}
				Map<Long, Long> after = new ConcurrentHashMap<>();
				Publishing.publish(publisher, room, "after", 3, 0, unavailable, after);
				List<TestClient.Received> arrivals = subscriber.eventArrivals(room, 3,
						DeliveryBound.untilBoundOf(DeliveryBound.lastAck(after)));
				assertThat(arrivals).extracting(arrival -> arrival.message().path("seq").asLong()).containsExactly(9L, 10L, 11L);
				DeliveryBound.assertEachWithin(after, arrivals);
				assertThat(unavailable.get()).isZero();
			}
		}
		finally {
			ExternalServices.dropDatabase(database);
		}
	}

	private static int publish(TestClient publisher, String room, String tag, AtomicInteger unavailable) {
		try {
			return Publishing.publish(publisher, room, tag, 200, 20, unavailable);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

}
