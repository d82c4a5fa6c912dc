package io.eventgateway.gateway.metrics;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;

import io.eventgateway.gateway.testing.HttpCall;
import io.eventgateway.gateway.testing.PromQlNames;
import io.eventgateway.gateway.testing.PrometheusServer;
import io.eventgateway.gateway.testing.TestClient;
import io.eventgateway.gateway.testing.TestTokens;
import io.eventgateway.gateway.testing.TwoInstanceCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * A real Prometheus scrapes a two-instance cluster under traffic (WebSocket clients publishing on
 * one instance and receiving on the other): its queries see deliveries rising and ack quantiles by
 * kind, it loads the alert rules, and every series the dashboard and the alerts name is exposed.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PrometheusScrapeIntegrationTests {

	private static final Duration DEADLINE = Duration.ofSeconds(60);

	private static final Path DEPLOY = Path.of("../deploy").toAbsolutePath().normalize();

	/** Made by Prometheus for each target, not by the gateway. */
	private static final Set<String> MADE_BY_PROMETHEUS = Set.of("up");

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private TwoInstanceCluster cluster;

	private final List<TestClient> clients = new ArrayList<>();

	private final AtomicBoolean trafficRunning = new AtomicBoolean(true);

	private Thread traffic;

	private PrometheusServer prometheus;

	@BeforeAll
	void startClusterTrafficAndPrometheus(@TempDir Path directory) throws IOException {
		this.cluster = TwoInstanceCluster.start("gateway.ws.ping-interval=10m", "gateway.ws.idle-timeout=20m");
		String token = TestTokens.forRooms("u", "team-*");
		TestClient receiver = client(TestClient.connect(this.cluster.b().port(), token));
		TestClient publisher = client(TestClient.connect(this.cluster.a().port(), token));
		receiver.send("{\"type\":\"join\",\"room\":\"team-p\"}");
		receiver.nextOfType("joined");
		publisher.send("{\"type\":\"join\",\"room\":\"team-p\"}");
		publisher.nextOfType("joined");
		this.traffic = new Thread(() -> publishUntilStopped(publisher, receiver), "traffic");
		this.traffic.start();
		seldomTraffic(token);
		this.prometheus = PrometheusServer.start(directory, List.of(this.cluster.a().port(), this.cluster.b().port()),
				DEPLOY.resolve("prometheus/alert-rules.yml"));
	}

	private TestClient client(TestClient client) {
		this.clients.add(client);
		return client;
	}

	// Both kinds of publish, with a ref so that each is acked; paced, so the test stays light.
	private void publishUntilStopped(TestClient publisher, TestClient receiver) {
		long n = 0;
		while (this.trafficRunning.get()) {
			publisher.send("{\"type\":\"publish\",\"room\":\"team-p\",\"event\":\"e\",\"data\":" + n + ",\"ref\":\"d" + n + "\"}");
			publisher.send("{\"type\":\"publish\",\"room\":\"team-p\",\"event\":\"v\",\"data\":" + n
					+ ",\"volatile\":true,\"ref\":\"v" + n + "\"}");
			n++;
			publisher.drain();
			receiver.drain();
			try {
				Thread.sleep(20);
			}
			catch (InterruptedException ex) {
				return;
			}
		}
	}

	// What steady traffic does not do: a refused handshake, a rejoin that replays, one that cannot recover.
	private void seldomTraffic(String token) {
		TestClient.refusal("ws://127.0.0.1:" + this.cluster.a().port() + "/ws", "Bearer not-a-token");
		try (TestClient rejoining = TestClient.connect(this.cluster.a().port(), token)) {
			rejoining.send("{\"type\":\"join\",\"room\":\"team-p\",\"since\":0}");
			rejoining.nextOfType("joined");
			rejoining.send("{\"type\":\"join\",\"room\":\"team-q\",\"since\":5,\"epoch\":\"another-lineage\"}");
			assertThat(rejoining.nextOfType("joined").path("recovered").asBoolean(true)).isFalse();
		}
		// The GC pause timer is made at the first collection it is told of.
		System.gc();
	}

	@AfterAll
	void stopAll() throws InterruptedException {
		this.trafficRunning.set(false);
		if (this.traffic != null) {
			this.traffic.join(10_000);
		}
		if (this.prometheus != null) {
			this.prometheus.close();
		}
		this.clients.forEach(TestClient::close);
		if (this.cluster != null) {
			this.cluster.close();
		}
	}

	@Test
	void prometheusSeesDeliveriesRisingAndAckQuantilesOfBothKinds() throws Exception {
		JsonNode deliveries = awaitResult("rate(gateway_deliveries_total[5s]) > 0", result -> result.size() == 2);
		assertThat(deliveries).hasSize(2);
		JsonNode acks = awaitResult(
				"histogram_quantile(0.99, sum by (le, kind) (rate(gateway_publish_ack_seconds_bucket[10s])))",
				result -> kinds(result).containsAll(Set.of("durable", "volatile")));
		for (JsonNode series : acks) {
			assertThat(series.path("value").get(1).asString()).isNotIn("NaN", "+Inf");
		}
		JsonNode rules = this.prometheus.api("/api/v1/rules");
		long written = Files.readAllLines(DEPLOY.resolve("prometheus/alert-rules.yml")).stream()
			.filter(line -> line.trim().startsWith("- alert:"))
			.count();
		assertThat(rules.path("groups").get(0).path("rules")).as("every alert rule loaded, healthy").hasSize((int) written)
			.allSatisfy(rule -> assertThat(rule.path("health").asString()).isEqualTo("ok"));
	}

	private static Set<String> kinds(JsonNode result) {
		Set<String> kinds = new TreeSet<>();
		result.forEach(series -> {
			if (!"NaN".equals(series.path("value").get(1).asString())) {
				kinds.add(series.path("metric").path("kind").asString());
			}
		});
		return kinds;
	}

	private JsonNode awaitResult(String promql, Predicate<JsonNode> done) throws Exception {
		long deadline = System.nanoTime() + DEADLINE.toNanos();
		JsonNode result = this.prometheus.query(promql);
		while (!done.test(result)) {
			if (System.nanoTime() > deadline) {
				fail("Prometheus did not answer " + promql + " as expected within " + DEADLINE + ", last: " + result);
			}
			Thread.sleep(250);
			result = this.prometheus.query(promql);
		}
		return result;
	}

	@Test
	void everySeriesTheDashboardAndTheAlertsNameIsExposed() throws Exception {
		Map<String, String> families = new HashMap<>();
		Set<String> samples = new TreeSet<>();
		String exposition = HttpCall.to(this.cluster.a().port(), "GET", "/actuator/prometheus").send().body().asString();
		for (String line : exposition.split("\n")) {
			if (line.startsWith("# TYPE ")) {
				String[] parts = line.split(" ");
				families.put(parts[2], parts[3]);
			}
			else if (!line.isBlank() && !line.startsWith("#")) {
				samples.add(line.split("[{ ]", 2)[0]);
			}
		}
		Map<String, String> missing = new HashMap<>();
		expressions().forEach((where, expression) -> {
			for (String name : PromQlNames.of(expression)) {
				if (!MADE_BY_PROMETHEUS.contains(name) && !isExposed(name, families, samples)) {
					missing.put(name, where);
				}
			}
		});
		assertThat(missing).as("series named in deploy/ but not exposed").isEmpty();
	}

	/**
	 * A family by its own name (a counter's name with its {@code _total}), or a histogram's (or
	 * summary's) series: {@code _bucket} of a histogram, {@code _sum} and {@code _count} of either.
	 */
	private static boolean isExposed(String name, Map<String, String> families, Set<String> samples) {
		if (!samples.contains(name)) {
			return false;
		}
		if (families.containsKey(name)) {
			return true;
		}
		if (name.endsWith("_bucket")) {
			return "histogram".equals(families.get(name.substring(0, name.length() - "_bucket".length())));
		}
		for (String suffix : List.of("_sum", "_count")) {
			if (name.endsWith(suffix)) {
				String type = families.get(name.substring(0, name.length() - suffix.length()));
				return "histogram".equals(type) || "summary".equals(type);
			}
		}
		return false;
	}

	/** Every expression of the dashboard's panels and of the alert rules, by where it is. */
	private static Map<String, String> expressions() throws IOException {
		Map<String, String> expressions = new HashMap<>();
		JsonNode dashboard = JSON.readTree(Files.readString(DEPLOY.resolve("grafana/gateway-dashboard.json")));
		for (JsonNode panel : dashboard.path("panels")) {
			for (JsonNode target : panel.path("targets")) {
				expressions.put("panel " + panel.path("title").asString() + " " + target.path("refId").asString(),
						target.path("expr").asString());
			}
		}
		assertThat(expressions).hasSizeGreaterThan(20);
		Map<String, Object> rules = new Yaml().load(Files.readString(DEPLOY.resolve("prometheus/alert-rules.yml")));
		for (Object group : (List<?>) rules.get("groups")) {
			for (Object rule : (List<?>) ((Map<?, ?>) group).get("rules")) {
				Map<?, ?> alert = (Map<?, ?>) rule;
				expressions.put("alert " + alert.get("alert"), String.valueOf(alert.get("expr")));
			}
		}
		return expressions;
	}

}
