package io.eventgateway.gateway.cluster;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.LongStream;

import io.eventgateway.core.room.Presence;
import io.eventgateway.gateway.metrics.GatewayMeters;
import io.eventgateway.gateway.redis.BrokerProbe;
import io.eventgateway.gateway.redis.RedisKeys;
import io.eventgateway.gateway.testing.ExternalServices;
import io.eventgateway.gateway.testing.GatewayInstance;
import io.eventgateway.gateway.testing.HttpCall;
import io.eventgateway.gateway.testing.PrivateRedisCluster;
import io.eventgateway.gateway.testing.TestClient;
import io.eventgateway.gateway.testing.TestTokens;
import io.eventgateway.gateway.testing.TwoInstanceCluster;
import io.lettuce.core.cluster.SlotHash;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two instances on a Redis Cluster of three masters of the test's own (redis-server processes) and
 * one PostgreSQL database: rooms use sharded pub/sub. The periodic catch-up is off and every event
 * must come within {@link DeliveryBound#PER_EVENT} of its ack, for rooms on each of the three
 * masters; a room's channel is subscribed on the master that owns its slot and nowhere else; a
 * master that crashes and comes back is followed without a gap; the broker probe comes back;
 * presence, the HTTP rate limit and the task cache are shared through the cluster.
 */
class ShardedPubSubIntegrationTests {

	/** Events published after a restarted master is back reach the other instance within this of their ack. */
	private static final Duration AFTER_RESTART = Duration.ofSeconds(5);

	private static PrivateRedisCluster redis;

	private static String database;

	private static RedisKeys keys;

	private static GatewayInstance a;

	private static GatewayInstance b;

	@BeforeAll
	static void start() {
		redis = PrivateRedisCluster.start();
		database = ExternalServices.createDatabase();
		String prefix = ExternalServices.redisKeyPrefix();
		keys = new RedisKeys(prefix);
		String[] properties = { "gateway.database.url=" + ExternalServices.r2dbcUrl(ExternalServices.postgresAddress(), database),
				"gateway.redis.url=" + redis.url(), "gateway.redis.key-prefix=" + prefix, TwoInstanceCluster.NO_PERIODIC_CATCH_UP,
				"gateway.redis.reconnect-max-delay=500ms", "gateway.redis.topology-refresh-interval=5s",
				"gateway.redis.probe-interval=500ms", "gateway.redis.probe-timeout=1s",
				"gateway.http.rate-limit=0.1", "gateway.http.rate-limit-burst=6" };
		a = GatewayInstance.start(properties);
		b = GatewayInstance.start(properties);
	}

	@AfterAll
	static void stop() {
		for (GatewayInstance instance : new GatewayInstance[] { a, b }) {
			if (instance != null) {
				instance.close();
			}
		}
		if (database != null) {
			ExternalServices.dropDatabase(database);
		}
		if (redis != null) {
			redis.close();
		}
	}

	/** One room per master, by the slot of its channel: master port → room. */
	private static Map<Integer, String> roomOnEveryMaster(String tag) {
		Map<Integer, String> rooms = new LinkedHashMap<>();
		for (int i = 0; rooms.size() < redis.ports().size(); i++) {
			String room = "team-" + tag + "-" + i;
			rooms.putIfAbsent(redis.ownerOf(SlotHash.getSlot(keys.roomChannel(room))), room);
		}
		return rooms;
	}

	private static TestClient joined(GatewayInstance instance, String user, String room) {
		TestClient client = instance.connect(user, "team-*");
		client.send("{\"type\":\"join\",\"room\":\"" + room + "\"}");
		client.nextOfType("joined");
		return client;
	}

	@Test
	void roomsOnEveryMasterReachTheOtherInstanceWithinTheBoundAndTheirChannelsLiveOnTheirOwnMasterOnly() throws Exception {
		Map<Integer, String> rooms = roomOnEveryMaster("spread");
		List<TestClient> clients = new ArrayList<>();
		try {
			for (String room : rooms.values()) {
				TestClient onA = joined(a, "sa", room);
				TestClient onB = joined(b, "sb", room);
				clients.addAll(List.of(onA, onB));
				Map<Long, Long> ackedAt = new ConcurrentHashMap<>();
				AtomicInteger unavailable = new AtomicInteger();
				try (TestClient publisherOnA = a.connect("pa", room); TestClient publisherOnB = b.connect("pb", room)) {
					assertThat(Publishing.publish(publisherOnB, room, "pb", 15, 0, unavailable, ackedAt)).isEqualTo(15);
					assertThat(Publishing.publish(publisherOnA, room, "pa", 15, 0, unavailable, ackedAt)).isEqualTo(15);
				}
				List<Long> expected = LongStream.rangeClosed(1, 30).boxed().toList();
				for (TestClient subscriber : List.of(onA, onB)) {
					List<TestClient.Received> arrivals = subscriber.eventArrivals(room, 30,
							DeliveryBound.untilBoundOf(DeliveryBound.lastAck(ackedAt)));
					assertThat(arrivals).extracting(arrival -> arrival.message().path("seq").asLong())
						.as("room " + room).containsExactlyElementsOf(expected);
					DeliveryBound.assertEachWithin(ackedAt, arrivals);
				}
			}

			for (int port : redis.ports()) {
				// Braces are literal in a pattern: the channels of this test's rooms held by this master.
				List<String> shardChannels = redis.onNode(port,
						commands -> commands.pubsubShardChannels(keys.roomChannel("team-spread-*")));
				assertThat(shardChannels).as("shard channels on the master at " + port)
					.containsExactly(keys.roomChannel(rooms.get(port)));
				for (Map.Entry<Integer, String> room : rooms.entrySet()) {
					String channel = keys.roomChannel(room.getValue());
					long subscribers = redis.onNode(port, commands -> commands.pubsubShardNumsub(channel)).getOrDefault(channel, 0L);
					assertThat(subscribers).as(channel + " subscribers on the master at " + port)
						.isEqualTo(room.getKey() == port ? 2 : 0);
					assertThat(redis.onNode(port, commands -> commands.pubsubNumsub(channel)).getOrDefault(channel, 0L))
						.as("no classic subscription").isZero();
				}
			}
		}
		finally {
			clients.forEach(TestClient::close);
		}
	}

	@Test
	void eventsKeepFlowingWithoutAGapAfterAMasterCrashedAndCameBack() throws Exception {
		Map<Integer, String> rooms = roomOnEveryMaster("restart");
		Map<String, List<TestClient>> subscribers = new LinkedHashMap<>();
		Map<String, Map<Long, Long>> ackedAt = new LinkedHashMap<>();
		Map<String, Integer> published = new LinkedHashMap<>();
		AtomicInteger unavailable = new AtomicInteger();
		try (TestClient publisher = b.connect("pb", "team-*")) {
			for (String room : rooms.values()) {
				subscribers.put(room, List.of(joined(a, "sa", room), joined(b, "sb", room)));
				ackedAt.put(room, new ConcurrentHashMap<>());
				published.put(room, Publishing.publish(publisher, room, "before", 3, 0, unavailable, ackedAt.get(room)));
			}

			int restarted = rooms.keySet().iterator().next();
			redis.kill(restarted);
			redis.restart(restarted);
			long backAt = System.nanoTime();

			// While the clients reconnect to the master that came back: a gap is possible, its fill is not optional.
			Map<String, Map<Long, Long>> ackedAfterRestart = new LinkedHashMap<>();
			rooms.values().forEach(room -> ackedAfterRestart.put(room, new ConcurrentHashMap<>()));
			while (System.nanoTime() - backAt < Duration.ofSeconds(3).toNanos()) {
				for (String room : rooms.values()) {
					published.merge(room, Publishing.publish(publisher, room, "after", 1, 100, unavailable,
							ackedAfterRestart.get(room)), Integer::sum);
				}
			}
			// Now Redis must deliver again, each event within the bound of its ack.
			Map<String, Map<Long, Long>> ackedOnceRecovered = new LinkedHashMap<>();
			for (String room : rooms.values()) {
				ackedOnceRecovered.put(room, new ConcurrentHashMap<>());
				published.merge(room, Publishing.publish(publisher, room, "recovered", 5, 0, unavailable,
						ackedOnceRecovered.get(room)), Integer::sum);
			}
			assertThat(unavailable.get()).as("publishes answered unavailable: PostgreSQL stayed up").isZero();

			for (String room : rooms.values()) {
				int total = published.get(room);
				List<Long> expected = LongStream.rangeClosed(1, total).boxed().toList();
				for (TestClient subscriber : subscribers.get(room)) {
					List<TestClient.Received> arrivals = subscriber.eventArrivals(room, total,
							DeliveryBound.untilBoundOf(DeliveryBound.lastAck(ackedOnceRecovered.get(room))));
					assertThat(arrivals).extracting(arrival -> arrival.message().path("seq").asLong())
						.as("room " + room + " (its master " + (rooms.get(restarted).equals(room) ? "restarted" : "stayed up") + ")")
						.containsExactlyElementsOf(expected);
					List<String> late = new ArrayList<>();
					for (TestClient.Received arrival : arrivals) {
						Long acked = ackedAfterRestart.get(room).get(arrival.message().path("seq").asLong());
						if (acked != null && arrival.atNanos() - acked > AFTER_RESTART.toNanos()) {
							late.add("seq " + arrival.message().path("seq").asLong());
						}
					}
					assertThat(late).as("events published after the restart, later than " + AFTER_RESTART).isEmpty();
					DeliveryBound.assertEachWithin(ackedOnceRecovered.get(room),
							arrivals.subList(total - ackedOnceRecovered.get(room).size(), total));
				}
			}
		}
		finally {
			subscribers.values().forEach(clients -> clients.forEach(TestClient::close));
		}
	}

	@Test
	void presenceAndTheRateLimitAreSharedThroughTheCluster() {
		Map<Integer, String> rooms = roomOnEveryMaster("presence");
		String room = rooms.values().iterator().next();
		try (TestClient alice = joined(a, "alice", room); TestClient bob = joined(b, "bob", room)) {
			await().atMost(Duration.ofSeconds(10))
				.untilAsserted(() -> assertThat(b.bean(Presence.class).members(room).block()).isEqualTo(Map.of("alice", 1, "bob", 1)));
			assertThat(a.bean(Presence.class).members(room).block()).isEqualTo(Map.of("alice", 1, "bob", 1));
		}

		// One bucket for a user on every instance: a burst of 6 at 0.1/s, spent over both.
		String token = TestTokens.forRooms("busy", "team-*");
		for (int i = 0; i < 6; i++) {
			GatewayInstance instance = (i % 2 == 0) ? a : b;
			assertThat(HttpCall.to(instance.port(), "GET", "/api/teams/x/tasks").token(token).send().status()).isEqualTo(200);
		}
		assertThat(HttpCall.to(b.port(), "GET", "/api/teams/x/tasks").token(token).send().status()).isEqualTo(429);
	}

	@Test
	void aTaskWrittenThroughOneInstanceIsNotServedStaleByTheOther() {
		String token = TestTokens.forRooms("lead", "team-*");
		HttpCall.Answer created = HttpCall.to(a.port(), "POST", "/api/teams/sharded/tasks").token(token).body("{\"title\":\"v1\"}").send();
		assertThat(created.status()).isEqualTo(201);
		String id = created.body().path("id").asString();
		assertThat(HttpCall.to(b.port(), "GET", "/api/tasks/" + id).token(token).send().header("X-Cache"))
			.as("the shared tier on the cluster").isEqualTo("HIT");
		HttpCall.to(a.port(), "GET", "/api/tasks/" + id).token(token).send(); // cached on A
		assertThat(HttpCall.to(b.port(), "PATCH", "/api/tasks/" + id).token(token).body("{\"title\":\"v2\"}").send().status())
			.isEqualTo(200);
		HttpCall.Answer read = HttpCall.to(a.port(), "GET", "/api/tasks/" + id).token(token).send();
		assertThat(read.body().path("title").asString()).as("A dropped its copy on B's sharded invalidation").isEqualTo("v2");
	}

	@Test
	void theBrokerProbeComesBackOnTheCluster() throws InterruptedException {
		// Several probe intervals and a probe timeout: every probe sent meanwhile came back.
		Duration window = Duration.ofMillis(3 * 500 + 1000);
		for (GatewayInstance instance : new GatewayInstance[] { a, b }) {
			await().atMost(Duration.ofSeconds(15)).until(() -> instance.bean(BrokerProbe.class).failure() == null);
		}
		double before = probeFailures(a) + probeFailures(b);
		Thread.sleep(window.toMillis());
		assertThat(probeFailures(a) + probeFailures(b)).as("probes not back within " + window).isEqualTo(before);
		assertThat(a.bean(BrokerProbe.class).failure()).isNull();
		assertThat(b.bean(BrokerProbe.class).failure()).isNull();
	}

	private static double probeFailures(GatewayInstance instance) {
		return instance.bean(MeterRegistry.class).counter(GatewayMeters.REDIS_PROBE_FAILURES).count();
	}

}
