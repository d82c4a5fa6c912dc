package io.eventgateway.loadtest;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The fan-out scenario against a real gateway on its defaults (the jar, embedded store): more
 * subscribers than one user may open connections are all admitted, and the run passes.
 */
class FanoutAgainstGatewayTests {

	private static final String SECRET = "fanout-tests-secret-0123456789-0123456789";

	@Test
	void moreSubscribersThanOneUsersConnectionLimitAllConnectAndEveryEventArrives() throws Exception {
		Path jar = Path.of("..", "gateway", "target", "gateway-0.1.0-SNAPSHOT.jar");
		assertThat(jar).as("the gateway jar, built before this module").isRegularFile();
		int port;
		try (ServerSocket socket = new ServerSocket(0)) {
			port = socket.getLocalPort();
		}
		Path log = Files.createTempFile("fanout-gateway", ".log");
		ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
				"-XX:TieredStopAtLevel=1", "-jar", jar.toString(), "--server.port=" + port, "--management.server.port=0")
			.redirectErrorStream(true)
			.redirectOutput(log.toFile());
		builder.environment().put("GATEWAY_AUTH_JWT_SECRET", SECRET);
		Process gateway = builder.start();
		try {
			HttpClient http = HttpClient.newHttpClient();
			awaitServing(http, port);
			ByteArrayOutputStream out = new ByteArrayOutputStream();
			int exit = LoadTest.run(new String[] { "fanout", "--url=ws://127.0.0.1:" + port + "/ws", "--connections=250", "--rooms=5",
					"--publishers=5", "--rate=50", "--warmup=2s", "--duration=5s" }, Map.of("GATEWAY_AUTH_JWT_SECRET", SECRET),
					new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(out, true, StandardCharsets.UTF_8));
			String report = out.toString(StandardCharsets.UTF_8);
			assertThat(report).as(report).doesNotContain("HTTP 429");
			assertThat(exit).as(report).isEqualTo(LoadTest.PASSED);
		}
		finally {
			gateway.destroy();
			if (!gateway.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
				gateway.destroyForcibly();
			}
			Files.deleteIfExists(log);
		}
	}

	/** Until the API answers (401 without a token): started. */
	private static void awaitServing(HttpClient http, int port) throws InterruptedException {
		long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
		while (System.nanoTime() < deadline) {
			try {
				if (http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/rooms/x/events")).build(),
						HttpResponse.BodyHandlers.discarding()).statusCode() == 401) {
					return;
				}
			}
			catch (java.io.IOException notYet) {
				// Not listening yet.
			}
			Thread.sleep(250);
		}
		throw new AssertionError("the gateway did not start within 90 s");
	}

}
