package io.eventgateway.gateway.cluster;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import java.util.stream.LongStream;

import io.eventgateway.gateway.testing.ExternalServices;
import io.eventgateway.gateway.testing.FaultProxy;
import io.eventgateway.gateway.testing.GatewayInstance;
import io.eventgateway.gateway.testing.HttpCall;
import io.eventgateway.gateway.testing.TestClient;
import io.eventgateway.gateway.testing.TestTokens;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import reactor.netty.http.client.HttpClient;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * PostgreSQL cut off by a proxy: durable publishes are answered {@code unavailable} and never
 * acknowledged, volatile traffic goes on, and after the cut heals publishing resumes with no
 * acknowledged event missing. Liveness stays up throughout (a restart would not bring the database
 * back); readiness goes down with the store and comes back with it. Nothing answered
 * {@code unavailable} is found stored after the cut.
 */
@ExtendWith(OutputCaptureExtension.class)
class DatabaseOutageIntegrationTests {

	@Test
	void publishesAreUnavailableDuringTheCutAndNothingAcknowledgedIsLost(CapturedOutput log) throws Exception {
		String database = ExternalServices.createDatabase();
		try (FaultProxy proxy = new FaultProxy(ExternalServices.postgresAddress());
				GatewayInstance gateway = GatewayInstance.start(
						"gateway.database.url=" + ExternalServices.r2dbcUrl(proxy.address(), database),
						"gateway.database.statement-timeout=2s", "gateway.database.acquire-timeout=2s",
						"management.server.port=0");
				TestClient subscriber = gateway.connect("s", "team-*");
				TestClient publisher = gateway.connect("p", "team-*")) {
			String room = "team-db";
			subscriber.send("{\"type\":\"join\",\"room\":\"" + room + "\"}");
			subscriber.nextOfType("joined");
			AtomicInteger unavailable = new AtomicInteger();
			int acked = Publishing.publish(publisher, room, "before", 20, 0, unavailable);
			assertThat(acked).isEqualTo(20);

			proxy.cut();
			assertThat(Publishing.publish(publisher, room, "during", 5, 0, unavailable)).isZero();
			assertThat(unavailable.get()).isEqualTo(5);
			publisher.send("{\"type\":\"publish\",\"room\":\"" + room + "\",\"event\":\"typing\",\"data\":{},\"volatile\":true,\"ref\":\"v\"}");
			JsonNode volatileAck = publisher.nextMatching(message -> "v".equals(message.path("ref").asString()));
			assertThat(volatileAck.path("type").asString()).isEqualTo("ack");

			HttpCall.Answer refused = HttpCall.to(gateway.port(), "POST", "/api/teams/db/tasks")
				.token(TestTokens.forRooms("p", "team-*")).body("{\"title\":\"during the cut\"}").send();
			assertThat(refused.status()).isEqualTo(503);
			String correlationId = refused.body().path("correlationId").asString();
			assertThat(correlationId).as("the answer names the log line of its cause").matches("[0-9a-f]{32}");
			assertThat(refused.body().path("detail").asString()).contains(correlationId).doesNotContain("127.0.0.1")
				.doesNotContainIgnoringCase("r2dbc").doesNotContainIgnoringCase("connection");
			await().atMost(Duration.ofSeconds(5)).until(() -> log.getOut().contains("[correlation id " + correlationId + "]"));

			await("not ready without its store").atMost(Duration.ofSeconds(10))
				.until(() -> probe(gateway, "readiness") == 503);
			assertThat(probe(gateway, "liveness")).as("alive: a restart would not bring the database back").isEqualTo(200);

			assertThat(health(gateway)).as("health names the dependency that is down").contains("\"store\":{\"details\"")
				.contains("\"status\":\"DOWN\"");

			proxy.heal();
			AtomicInteger afterHeal = new AtomicInteger();
			Set<String> unavailableTags = ConcurrentHashMap.newKeySet();
			unavailableTags.add("during");
			await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).until(() -> {
				String tag = "probe" + afterHeal.incrementAndGet();
				boolean acknowledged = Publishing.publish(publisher, room, tag, 1, 0, new AtomicInteger()) == 1;
				if (!acknowledged) {
					unavailableTags.add(tag);
				}
				return acknowledged;
			});
			acked += 1;
			acked += Publishing.publish(publisher, room, "after", 20, 0, unavailable);
			assertThat(acked).isEqualTo(41);

			await().atMost(Duration.ofSeconds(10)).until(() -> health(gateway).startsWith("{\"components\"")
					&& !health(gateway).contains("DOWN"));
			await().atMost(Duration.ofSeconds(10)).until(() -> probe(gateway, "readiness") == 200);
			assertThat(probe(gateway, "liveness")).isEqualTo(200);
			assertThat(HttpCall.to(gateway.managementPort(), "GET", "/actuator/health/readiness").send().body().toString())
				.contains("\"store\"").contains("UP");
			assertThat(subscriber.eventSeqs(room, acked))
				.containsExactlyElementsOf(LongStream.rangeClosed(1, acked).boxed().toList());

			// What was answered unavailable was not stored anyway: the history holds the acknowledged only.
			HttpCall.Answer history = HttpCall.to(gateway.port(), "GET", "/api/rooms/" + room + "/events?since=0&limit=500")
				.token(TestTokens.forRooms("p", "team-*")).send();
			assertThat(history.status()).isEqualTo(200);
			List<String> stored = new ArrayList<>();
			history.body().path("items").forEach(item -> stored.add(item.path("data").path("from").asString() + "-"
					+ item.path("data").path("i").asInt()));
			List<String> expected = new ArrayList<>();
			IntStream.range(0, 20).forEach(i -> expected.add("before-" + i));
			expected.add("probe" + afterHeal.get() + "-0");
			IntStream.range(0, 20).forEach(i -> expected.add("after-" + i));
			assertThat(stored).as("answered unavailable: " + unavailableTags).containsExactlyElementsOf(expected);
			assertThat(history.body().path("items")).extracting(item -> item.path("seq").asLong())
				.containsExactlyElementsOf(LongStream.rangeClosed(1, acked).boxed().toList());
		}
		finally {
			ExternalServices.dropDatabase(database);
		}
	}

	private static int probe(GatewayInstance gateway, String group) {
		return HttpCall.to(gateway.managementPort(), "GET", "/actuator/health/" + group).send().status();
	}

	private static String health(GatewayInstance gateway) {
		return HttpClient.create()
			.get()
			.uri("http://127.0.0.1:" + gateway.managementPort() + "/actuator/health")
			.responseContent()
			.aggregate()
			.asString()
			.block(Duration.ofSeconds(10));
	}

}
