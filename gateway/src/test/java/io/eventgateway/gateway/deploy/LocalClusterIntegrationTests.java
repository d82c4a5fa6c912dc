package io.eventgateway.gateway.deploy;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.LongStream;

import io.eventgateway.gateway.testing.ExternalServices;
import io.eventgateway.gateway.testing.TestClient;
import io.eventgateway.gateway.testing.TestTokens;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code deploy/local/cluster} as an operator runs it: three gateways behind HAProxy. Clients
 * connected through HAProxy are spread over the instances and see each other's durable events
 * without a gap; one instance killed with SIGKILL, its clients reconnect through HAProxy to the
 * others and recover what they missed with {@code join} and {@code since}, with no gap and no
 * duplicate; {@code stop} leaves nothing running.
 */
@Timeout(value = 8, unit = TimeUnit.MINUTES)
class LocalClusterIntegrationTests {

	private static final Logger logger = LoggerFactory.getLogger(LocalClusterIntegrationTests.class);

	private static final int INSTANCES = 3;

	private static final int CLIENTS = 9;

	private static final String ROOM = "team-local-cluster";

	private static final Duration WAIT = Duration.ofSeconds(30);

	@Test
	void clientsThroughHaproxySurviveAnInstanceKilledAndStopLeavesNothingRunning() throws Exception {
		String database = ExternalServices.createDatabase();
		String prefix = ExternalServices.redisKeyPrefix();
		URI redis = URI.create(ExternalServices.redisUrl());
		LocalCluster cluster = LocalCluster.prepare(INSTANCES, ExternalServices.postgresAddress(),
				redis.getHost() + ":" + (redis.getPort() == -1 ? 6379 : redis.getPort()), database, prefix, TestTokens.SECRET);
		List<Member> members = new ArrayList<>();
		boolean stopped = false;
		try {
			LocalCluster.Result start = cluster.run("start");
			assertThat(start.exitStatus()).as("cluster start:\n%s\n%s", start.output(), cluster.logTails()).isZero();
			LocalCluster.Result status = cluster.run("status");
			assertThat(status.exitStatus()).as("cluster status of a started cluster:\n%s", status.output()).isZero();
			assertThat(status.output()).contains("gateway-1", "gateway-2", "gateway-3", "haproxy");

			for (int i = 0; i < CLIENTS; i++) {
				Member member = new Member("user-" + i);
				members.add(member);
				member.connect(cluster.frontPort());
				member.join(null, null);
			}
			Map<String, LocalCluster.Server> spread = cluster.servers();
			logger.info("HAProxy's servers after {} connections: {}", CLIENTS, spread);
			assertThat(spread).hasSize(INSTANCES);
			assertThat(spread.values()).as("every instance holds some of the clients: %s", spread)
				.allSatisfy(server -> assertThat(server.connections()).isPositive());
			assertThat(spread.values().stream().mapToInt(LocalCluster.Server::connections).sum()).isEqualTo(CLIENTS);
			for (int instance = 1; instance <= INSTANCES; instance++) {
				OptionalLong own = cluster.connectionsOf(cluster.gatewayPorts().get(instance - 1));
				assertThat(own).as("gateway-%d's own gateway_connections", instance)
					.hasValue(spread.get("gw" + instance).connections());
			}

			// Every client publishes through its own instance; all see the same gap-free numbering.
			long published = publishRound(members, 3, "first");
			for (Member member : members) {
				member.awaitSeq(published);
			}

			String killedServer = spread.entrySet().stream().max(Map.Entry.comparingByValue(
					java.util.Comparator.comparingInt(LocalCluster.Server::connections))).orElseThrow().getKey();
			int killedInstance = Integer.parseInt(killedServer.substring(2));
			int onKilled = spread.get(killedServer).connections();
			ProcessHandle victim = ProcessHandle.of(cluster.gatewayPid(killedInstance)).orElseThrow();
			victim.destroyForcibly();
			victim.onExit().get(10, TimeUnit.SECONDS);

			long deadline = System.nanoTime() + WAIT.toNanos();
			while (members.stream().filter(Member::disconnected).count() < onKilled && System.nanoTime() < deadline) {
				Thread.sleep(50);
			}
			List<Member> cut = members.stream().filter(Member::disconnected).toList();
			List<Member> survivors = members.stream().filter(member -> !member.disconnected()).toList();
			assertThat(cut).as("clients cut off by the kill of %s", killedServer).hasSize(onKilled);

			// What the cut-off clients miss while they are away.
			published = publishRound(survivors, 2, "missed");
			for (Member member : survivors) {
				member.awaitSeq(published);
			}
			for (Member member : cut) {
				long since = member.lastSeq();
				member.connect(cluster.frontPort());
				JsonNode joined = member.join(since, member.epoch);
				assertThat(joined.path("recovered").asBoolean(false)).as("%s rejoined with since %d: %s", member.user,
						since, joined).isTrue();
			}
			Map<String, LocalCluster.Server> after = cluster.servers();
			logger.info("HAProxy's servers after the kill of {} and the reconnects: {}", killedServer, after);
			assertThat(after.get(killedServer).status()).as("%s after the kill", killedServer).startsWith("DOWN");
			assertThat(after.values().stream().mapToInt(LocalCluster.Server::connections).sum())
				.as("connections held by the survivors: %s", after).isEqualTo(CLIENTS);

			published = publishRound(members, 1, "after");
			List<Long> everySeq = LongStream.rangeClosed(1, published).boxed().toList();
			for (Member member : members) {
				member.awaitSeq(published);
				assertThat(member.seqs).as("seqs received by %s, reconnected: %s", member.user, cut.contains(member))
					.containsExactlyElementsOf(everySeq);
			}

			long haproxy = cluster.haproxyPid();
			List<Long> gateways = new ArrayList<>();
			for (int instance = 1; instance <= INSTANCES; instance++) {
				if (instance != killedInstance) {
					gateways.add(cluster.gatewayPid(instance));
				}
			}
			LocalCluster.Result stop = cluster.run("stop");
			stopped = true;
			assertThat(stop.exitStatus()).as("cluster stop:\n%s", stop.output()).isZero();
			for (Member member : members) {
				assertThat(member.client.awaitClose()).as("close status %s got from a stopping cluster", member.user)
					.isEqualTo(WebSocketCloseStatus.SERVICE_RESTART);
			}
			for (long pid : gateways) {
				assertThat(ProcessHandle.of(pid).filter(ProcessHandle::isAlive)).as("gateway process %d after stop", pid).isEmpty();
			}
			assertThat(ProcessHandle.of(haproxy).filter(ProcessHandle::isAlive)).as("HAProxy %d after stop", haproxy).isEmpty();
			assertThat(LocalCluster.listening(cluster.frontPort())).as("front port after stop").isFalse();
			assertThat(cluster.gatewayPorts()).as("gateway ports listening after stop").noneMatch(LocalCluster::listening);
			LocalCluster.Result stoppedStatus = cluster.run("status");
			assertThat(stoppedStatus.exitStatus()).as("cluster status after stop:\n%s", stoppedStatus.output()).isNotZero();
		}
		finally {
			members.forEach(Member::close);
			if (!stopped) {
				LocalCluster.Result stop = cluster.run("stop");
				logger.info("cluster stop after a failure: {}\n{}", stop.exitStatus(), stop.output());
			}
			ExternalServices.dropDatabase(database);
			ExternalServices.deleteRedisKeys(prefix);
		}
	}

	/** Each member publishes {@code each} durable events; the room's newest seq once all are stored. */
	private static long publishRound(List<Member> publishers, int each, String round) {
		long newest = 0;
		for (int k = 0; k < each; k++) {
			for (Member member : publishers) {
				member.client.send("{\"type\":\"publish\",\"room\":\"" + ROOM + "\",\"event\":\"note\",\"data\":{},\"id\":\""
						+ member.user + "-" + round + "-" + k + "\",\"ref\":\"p-" + round + "-" + k + "\"}");
			}
		}
		for (Member member : publishers) {
			for (int k = 0; k < each; k++) {
				String ref = "p-" + round + "-" + k;
				JsonNode ack = member.await(message -> ref.equals(message.path("ref").asString()));
				assertThat(ack.path("type").asString()).as("answer to %s of %s: %s", ref, member.user, ack).isEqualTo("ack");
				newest = Math.max(newest, ack.path("seq").asLong());
			}
		}
		return newest;
	}

	/** One user's client: every durable event of the room it receives, across its reconnects. */
	private static final class Member implements AutoCloseable {

		final String user;

		final List<Long> seqs = new ArrayList<>();

		private final List<JsonNode> unread = new ArrayList<>();

		TestClient client;

		String epoch;

		Member(String user) {
			this.user = user;
		}

		/** Connects through HAProxy, trying again for a while, as a client with backoff would. */
		void connect(int port) throws InterruptedException {
			String token = TestTokens.forRooms(this.user, "team-*");
			long deadline = System.nanoTime() + WAIT.toNanos();
			while (true) {
				try {
					this.client = TestClient.connect(port, token);
					return;
				}
				catch (RuntimeException ex) {
					if (System.nanoTime() > deadline) {
						throw new AssertionError(this.user + " could not connect through HAProxy within " + WAIT, ex);
					}
					Thread.sleep(500);
				}
			}
		}

		JsonNode join(Long since, String epoch) {
			String ref = "join-" + System.nanoTime();
			String recovery = (since == null) ? "" : ",\"since\":" + since + ",\"epoch\":\"" + epoch + "\"";
			this.client.send("{\"type\":\"join\",\"room\":\"" + ROOM + "\"" + recovery + ",\"ref\":\"" + ref + "\"}");
			JsonNode joined = await(message -> ref.equals(message.path("ref").asString()));
			assertThat(joined.path("type").asString()).as("answer to the join of %s: %s", this.user, joined).isEqualTo("joined");
			this.epoch = joined.path("epoch").asString();
			return joined;
		}

		boolean disconnected() {
			return this.client.isClosed();
		}

		long lastSeq() {
			return this.seqs.isEmpty() ? 0 : this.seqs.get(this.seqs.size() - 1);
		}

		void awaitSeq(long seq) {
			long deadline = System.nanoTime() + WAIT.toNanos();
			while (lastSeq() < seq && System.nanoTime() < deadline) {
				read(Duration.ofMillis(100));
			}
			assertThat(lastSeq()).as("newest seq %s received; all: %s", this.user, this.seqs).isGreaterThanOrEqualTo(seq);
		}

		/** The next message that is not an event and matches, recording the events on the way. */
		JsonNode await(java.util.function.Predicate<JsonNode> wanted) {
			long deadline = System.nanoTime() + WAIT.toNanos();
			while (System.nanoTime() < deadline) {
				for (int i = 0; i < this.unread.size(); i++) {
					if (wanted.test(this.unread.get(i))) {
						return this.unread.remove(i);
					}
				}
				read(Duration.ofMillis(100));
			}
			throw new AssertionError(this.user + ": no matching message within " + WAIT + "; unread: "
					+ this.unread.stream().map(JsonNode::toString).collect(Collectors.joining(", ")));
		}

		private void read(Duration timeout) {
			JsonNode message = this.client.poll(timeout);
			if (message == null) {
				return;
			}
			if ("event".equals(message.path("type").asString()) && ROOM.equals(message.path("room").asString())
					&& message.has("seq")) {
				this.seqs.add(message.path("seq").asLong());
			}
			else {
				this.unread.add(message);
			}
		}

		@Override
		public void close() {
			if (this.client != null) {
				this.client.close();
			}
		}

	}

}
