package io.eventgateway.gateway.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.eventgateway.gateway.GatewayApplication;

/**
 * One gateway in a JVM of its own, on a free port, so that a test can kill it the hard way: a
 * SIGKILL leaves no shutdown hook, no graceful close and no last write, as a crashed host would.
 * Its output goes to a file under {@code target/gateway-processes}, to be read when a test fails.
 * The process never outlives its test: {@link #close()} kills it, and so does the test JVM's exit.
 */
public final class GatewayProcess implements AutoCloseable {

	private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

	private static final Duration EXIT_TIMEOUT = Duration.ofSeconds(10);

	private static final Path LOG_DIRECTORY = Path.of("target", "gateway-processes").toAbsolutePath();

	private final Process process;

	private final int port;

	private final Path log;

	// Kills the child when the test JVM exits without having closed it (an aborted run).
	private final Thread killOnExit;

	private GatewayProcess(Process process, int port, Path log) {
		this.process = process;
		this.port = port;
		this.log = log;
		this.killOnExit = new Thread(process::destroyForcibly, "kill-gateway-" + port);
		Runtime.getRuntime().addShutdownHook(this.killOnExit);
	}

	/**
	 * Starts a gateway with the test secret and these {@code name=value} properties and waits until
	 * it is live.
	 */
	public static GatewayProcess start(String... properties) {
		int port = freePort();
		List<String> command = new ArrayList<>(List.of(javaExecutable(),
				// A quick start on a small machine: the child serves a test, not a benchmark.
				"-Xmx512m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
				// The test classpath; where it is a manifest-only jar (a surefire booter), -cp follows its Class-Path.
				"-cp", System.getProperty("java.class.path"), GatewayApplication.class.getName(),
				"--server.port=" + port, "--" + TestTokens.SECRET_PROPERTY));
		for (String property : properties) {
			command.add("--" + property);
		}
		Path log = newLogFile(port);
		Process process;
		try {
			process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
		}
		catch (IOException ex) {
			throw new UncheckedIOException("could not start " + command.get(0), ex);
		}
		GatewayProcess gateway = new GatewayProcess(process, port, log);
		try {
			gateway.awaitLive();
		}
		catch (RuntimeException ex) {
			gateway.close();
			throw ex;
		}
		return gateway;
	}

	public int port() {
		return this.port;
	}

	/** The file the process writes its output to. */
	public Path log() {
		return this.log;
	}

	public long pid() {
		return this.process.pid();
	}

	public boolean isAlive() {
		return this.process.isAlive();
	}

	/**
	 * Kills the process with SIGKILL ({@link Process#destroyForcibly()} on Linux) and waits until it
	 * is gone; returns its exit status, {@code 128 + 9} for a process the signal ended.
	 */
	public int kill() {
		this.process.destroyForcibly();
		try {
			if (!this.process.waitFor(EXIT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
				throw new IllegalStateException("gateway process " + pid() + " still running " + EXIT_TIMEOUT + " after SIGKILL");
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("interrupted while waiting for gateway process " + pid() + " to exit", ex);
		}
		return this.process.exitValue();
	}

	/** Sends SIGTERM ({@link Process#destroy()} on Linux), as a deploy or {@code kill} would: a graceful shutdown. */
	public void terminate() {
		this.process.destroy();
	}

	/** Waits for the process to exit; returns its exit status, or {@code null} if it still runs after {@code timeout}. */
	public Integer awaitExit(Duration timeout) throws InterruptedException {
		return this.process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS) ? this.process.exitValue() : null;
	}

	public TestClient connect(String user, String... rooms) {
		return TestClient.connect(this.port, TestTokens.forRooms(user, rooms));
	}

	/** The last lines of the process's output, for a failure message. */
	public String logTail(int lines) {
		try {
			List<String> all = Files.readAllLines(this.log, StandardCharsets.UTF_8);
			return String.join(System.lineSeparator(), all.subList(Math.max(0, all.size() - lines), all.size()));
		}
		catch (IOException | UncheckedIOException ex) {
			return "(no log at " + this.log + ": " + ex.getMessage() + ")";
		}
	}

	@Override
	public void close() {
		if (this.process.isAlive()) {
			kill();
		}
		try {
			Runtime.getRuntime().removeShutdownHook(this.killOnExit);
		}
		catch (IllegalStateException ex) {
			// The JVM is already exiting: the hook runs anyway and finds the process gone.
		}
	}

	private void awaitLive() {
		HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
		HttpRequest liveness = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + "/actuator/health/liveness"))
			.timeout(Duration.ofSeconds(2))
			.build();
		long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
		while (System.nanoTime() < deadline) {
			if (!this.process.isAlive()) {
				throw new IllegalStateException("gateway process exited with " + this.process.exitValue()
						+ " before it was live; its log " + this.log + " ends:" + System.lineSeparator() + logTail(40));
			}
			try {
				if (http.send(liveness, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
					return;
				}
			}
			catch (IOException ex) {
				// Not listening yet, or too busy starting to answer: ask again.
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException("interrupted while waiting for the gateway process to start", ex);
			}
			sleep(Duration.ofMillis(100));
		}
		throw new IllegalStateException("gateway process not live within " + START_TIMEOUT + "; its log " + this.log
				+ " ends:" + System.lineSeparator() + logTail(40));
	}

	private static String javaExecutable() {
		return ProcessHandle.current().info().command()
			.orElseGet(() -> Path.of(System.getProperty("java.home"), "bin", "java").toString());
	}

	private static int freePort() {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new UncheckedIOException("no free port", ex);
		}
	}

	private static Path newLogFile(int port) {
		try {
			Files.createDirectories(LOG_DIRECTORY);
			return Files.createTempFile(LOG_DIRECTORY, "gateway-" + port + "-", ".log");
		}
		catch (IOException ex) {
			throw new UncheckedIOException("could not create a log file under " + LOG_DIRECTORY, ex);
		}
	}

	private static void sleep(Duration duration) {
		try {
			Thread.sleep(duration.toMillis());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("interrupted while waiting for the gateway process to start", ex);
		}
	}

}
