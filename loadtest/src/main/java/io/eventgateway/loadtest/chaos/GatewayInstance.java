package io.eventgateway.loadtest.chaos;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One gateway of a chaos run: the gateway jar in a JVM of its own, on private ports (the public one
 * for clients, a management port for readiness and metrics), so that it can be killed the hard way.
 */
final class GatewayInstance implements AutoCloseable {

	private static final Duration START_TIMEOUT = Duration.ofSeconds(90);

	private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

	private final String name;

	private final Process process;

	private final Path log;

	private final int port;

	private final int managementPort;

	private GatewayInstance(String name, Process process, Path log, int port, int managementPort) {
		this.name = name;
		this.process = process;
		this.log = log;
		this.port = port;
		this.managementPort = managementPort;
	}

	/** Starts the jar with these environment variables and {@code name=value} properties; see {@link #awaitReady}. */
	static GatewayInstance start(String name, Path jar, Path directory, String heap, Map<String, String> environment,
			List<String> properties) {
		int port = ChildProcesses.freePort();
		int managementPort = ChildProcesses.freePort();
		// A quick start on a small machine (C1 only, one collector thread): the runs judge correctness, not speed.
		List<String> command = new ArrayList<>(List.of(javaExecutable(), "-Xmx" + heap, "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
				"-XX:+ExitOnOutOfMemoryError", "-jar", jar.toString(), "--server.port=" + port, "--management.server.port=" + managementPort));
		properties.forEach(property -> command.add("--" + property));
		Path log = directory.resolve(name + ".log");
		ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
			.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
		builder.environment().putAll(environment);
		try {
			return new GatewayInstance(name, builder.start(), log, port, managementPort);
		}
		catch (IOException ex) {
			throw new IllegalStateException("cannot start " + command.get(0) + ": " + ex.getMessage(), ex);
		}
	}

	String name() {
		return this.name;
	}

	URI webSocket() {
		return URI.create("ws://127.0.0.1:" + this.port + "/ws");
	}

	URI api(String path) {
		return URI.create("http://127.0.0.1:" + this.port + path);
	}

	URI management(String path) {
		return URI.create("http://127.0.0.1:" + this.managementPort + path);
	}

	long pid() {
		return this.process.pid();
	}

	boolean isAlive() {
		return this.process.isAlive();
	}

	Path log() {
		return this.log;
	}

	void awaitReady() {
		long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
		while (System.nanoTime() < deadline) {
			if (!this.process.isAlive()) {
				throw new IllegalStateException(this.name + " exited with " + this.process.exitValue() + " before it was ready; see " + this.log);
			}
			if (readiness() == 200) {
				return;
			}
			ChildProcesses.sleep(Duration.ofMillis(200));
		}
		throw new IllegalStateException(this.name + " not ready within " + START_TIMEOUT + "; see " + this.log);
	}

	/** The readiness endpoint's status, or -1 when it does not answer. */
	int readiness() {
		try {
			return HTTP.send(HttpRequest.newBuilder(management("/actuator/health/readiness")).timeout(Duration.ofSeconds(2)).build(),
					HttpResponse.BodyHandlers.discarding()).statusCode();
		}
		catch (IOException ex) {
			return -1;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return -1;
		}
	}

	/** The Prometheus exposition of the management port. */
	String metrics() throws IOException, InterruptedException {
		return HTTP.send(HttpRequest.newBuilder(management("/actuator/prometheus")).timeout(Duration.ofSeconds(5)).build(),
				HttpResponse.BodyHandlers.ofString()).body();
	}

	/** SIGKILL: no shutdown hook, no drain, no last write, as a crashed host. */
	void kill() {
		ChildProcesses.kill(this.process);
	}

	/** SIGTERM: the graceful drain. */
	void terminate() {
		this.process.destroy();
	}

	boolean awaitExit(Duration timeout) {
		try {
			return this.process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
	}

	@Override
	public void close() {
		kill();
	}

	private static String javaExecutable() {
		return ProcessHandle.current().info().command().orElseGet(() -> Path.of(System.getProperty("java.home"), "bin", "java").toString());
	}

}
