package io.eventgateway.gateway.testing;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A real Prometheus server of the test's own: a private directory, a free port, its data in that
 * directory, scraping the given gateways every second. It stops when closed, and by itself after
 * {@link #LIFETIME} should the test never close it.
 */
public final class PrometheusServer implements AutoCloseable {

	private static final Duration LIFETIME = Duration.ofMinutes(5);

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final Process process;

	private final int port;

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

	private PrometheusServer(Process process, int port) {
		this.process = process;
		this.port = port;
	}

	/**
	 * @param directory a private, empty directory
	 * @param ruleFile a rule file to load, or {@code null}
	 */
	public static PrometheusServer start(Path directory, List<Integer> gatewayPorts, Path ruleFile) throws IOException {
		Path prometheus = PrometheusPrograms.executable("prometheus");
		String targets = gatewayPorts.stream().map(port -> "\"127.0.0.1:" + port + "\"").collect(Collectors.joining(", "));
		String rules = (ruleFile != null) ? "rule_files: [\"" + ruleFile.toAbsolutePath() + "\"]\n" : "";
		Path config = Files.writeString(directory.resolve("prometheus.yml"), """
				global:
				  scrape_interval: 1s
				  evaluation_interval: 1s
				%s
				scrape_configs:
				  - job_name: event-gateway
				    metrics_path: /actuator/prometheus
				    static_configs:
				      - targets: [%s]
				""".formatted(rules, targets));
		int port = PrivateRedis.FreePorts.next();
		// timeout(1) passes the stop signal on to Prometheus, and ends it itself after the lifetime.
		Process process = new ProcessBuilder("timeout", "--kill-after=5s", LIFETIME.toSeconds() + "s", prometheus.toString(),
				"--config.file=" + config, "--storage.tsdb.path=" + directory.resolve("data"),
				"--web.listen-address=127.0.0.1:" + port, "--log.level=warn")
			.redirectErrorStream(true)
			.redirectOutput(directory.resolve("prometheus.log").toFile())
			.start();
		PrometheusServer server = new PrometheusServer(process, port);
		server.awaitReady(Duration.ofSeconds(30));
		return server;
	}

	private void awaitReady(Duration timeout) {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (System.nanoTime() < deadline) {
			if (!this.process.isAlive()) {
				throw new IllegalStateException("prometheus ended at start with " + this.process.exitValue());
			}
			try {
				if (get("/-/ready").statusCode() == 200) {
					return;
				}
			}
			catch (IOException notYet) {
				// Not listening yet.
			}
			pause();
		}
		throw new IllegalStateException("prometheus was not ready within " + timeout);
	}

	/** The {@code data.result} of an instant query. */
	public JsonNode query(String promql) throws IOException {
		HttpResponse<String> response = get("/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8));
		JsonNode answer = JSON.readTree(response.body());
		if (!"success".equals(answer.path("status").asString())) {
			throw new IllegalStateException("query " + promql + " failed: " + response.body());
		}
		return answer.path("data").path("result");
	}

	/** The {@code data} of {@code path} (such as {@code /api/v1/rules}). */
	public JsonNode api(String path) throws IOException {
		return JSON.readTree(get(path).body()).path("data");
	}

	private HttpResponse<String> get(String path) throws IOException {
		HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + path))
			.timeout(Duration.ofSeconds(5))
			.build();
		try {
			return this.http.send(request, HttpResponse.BodyHandlers.ofString());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IOException(ex);
		}
	}

	private static void pause() {
		try {
			Thread.sleep(100);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	@Override
	public void close() {
		this.process.destroy();
		try {
			if (!this.process.waitFor(10, TimeUnit.SECONDS)) {
				this.process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
