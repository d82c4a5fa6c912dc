package io.eventgateway.gateway.testing;

import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.testcontainers.containers.GenericContainer;

/**
 * A Redis of the test's own that the test may kill, as a crash would, and start again at the same
 * address: a container where a Docker engine runs, otherwise a {@code redis-server} process.
 */
public final class PrivateRedis implements AutoCloseable {

	private static final Duration START_TIMEOUT = Duration.ofSeconds(30);

	private final int port;

	private final String host;

	private GenericContainer<?> container;

	private Process process;

	public PrivateRedis() {
		this.port = FreePorts.next();
		this.host = ExternalServices.dockerAvailable() ? ExternalServices.dockerHost() : "127.0.0.1";
		if (!ExternalServices.dockerAvailable() && !onPath("redis-server")) {
			throw new MissingPrerequisite("No Docker engine and no redis-server on the PATH: a test of a Redis outage needs "
					+ "one of them (apt-get install redis-server, or start Docker)");
		}
	}

	public String url() {
		return "redis://" + this.host + ":" + this.port;
	}

	public synchronized PrivateRedis start() {
		if (ExternalServices.dockerAvailable()) {
			startContainer();
		}
		else {
			startProcess();
		}
		awaitListening();
		requireOwnServerAnswers();
		return this;
	}

	/**
	 * The server answering at the address must be the one started here: were the port taken by
	 * another Redis (the shared one), a pause or a kill would hit the wrong process.
	 */
	private void requireOwnServerAnswers() {
		String answering = infoField(serverInfo(), "process_id");
		String started;
		if (this.process != null) {
			started = Long.toString(this.process.pid());
		}
		else {
			// Inside a container the pid is the container's: compare the run id it reports to itself.
			try {
				String inside = this.container.execInContainer("redis-cli", "INFO", "server").getStdout();
				started = infoField(inside, "process_id");
				String runId = infoField(inside, "run_id");
				if (!runId.equals(infoField(serverInfo(), "run_id"))) {
					throw new IllegalStateException("another Redis answers at " + url() + " than the container started");
				}
			}
			catch (IOException ex) {
				throw new IllegalStateException(ex);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException(ex);
			}
		}
		if (!started.equals(answering)) {
			kill();
			throw new IllegalStateException("the Redis answering at " + url() + " is process " + answering
					+ ", not the one started (" + started + ")");
		}
	}

	private String serverInfo() {
		io.lettuce.core.RedisClient client = io.lettuce.core.RedisClient.create(url());
		try (var connection = client.connect()) {
			return connection.sync().info("server");
		}
		finally {
			client.shutdown();
		}
	}

	static String infoField(String info, String name) {
		for (String line : info.split("\r?\n")) {
			if (line.startsWith(name + ":")) {
				return line.substring(name.length() + 1).strip();
			}
		}
		throw new IllegalStateException("no " + name + " in INFO: " + info);
	}

	private void startContainer() {
		GenericContainer<?> container = new GenericContainer<>(ExternalServices.REDIS_IMAGE).withExposedPorts(6379);
		// A fixed host port: a restarted Redis must be found where the gateway's client reconnects.
		container.setPortBindings(List.of(this.port + ":6379"));
		container.start();
		this.container = container;
	}

	private void startProcess() {
		try {
			this.process = new ProcessBuilder("redis-server", "--port", String.valueOf(this.port), "--bind", "127.0.0.1",
					"--save", "", "--appendonly", "no")
				.redirectErrorStream(true)
				.redirectOutput(ProcessBuilder.Redirect.DISCARD)
				.start();
		}
		catch (IOException ex) {
			throw new IllegalStateException("redis-server could not be started: " + ex.getMessage(), ex);
		}
	}

	/** Kills the server at once, as a crash would. */
	public synchronized void kill() {
		if (this.container != null) {
			// Testcontainers kills a container before it removes it: no shutdown, no save.
			this.container.stop();
			this.container = null;
		}
		if (this.process != null) {
			this.process.destroyForcibly();
			try {
				this.process.waitFor(10, TimeUnit.SECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			this.process = null;
		}
	}

	/**
	 * Freezes the server (SIGSTOP, or a paused container): its connections stay open and nothing
	 * is answered, as with a hung host or a half-open socket.
	 */
	public synchronized void pause() {
		if (this.container != null) {
			this.container.getDockerClient().pauseContainerCmd(this.container.getContainerId()).exec();
		}
		if (this.process != null) {
			signal("STOP");
		}
	}

	/** Lets a paused server go on. */
	public synchronized void resume() {
		if (this.container != null) {
			this.container.getDockerClient().unpauseContainerCmd(this.container.getContainerId()).exec();
		}
		if (this.process != null) {
			signal("CONT");
		}
	}

	private void signal(String name) {
		try {
			Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(this.process.pid())).inheritIO().start();
			if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
				throw new IllegalStateException("kill -" + name + " " + this.process.pid() + " failed");
			}
		}
		catch (IOException ex) {
			throw new IllegalStateException("kill could not be run: " + ex.getMessage(), ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	private void awaitListening() {
		long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
		while (System.nanoTime() < deadline) {
			try (Socket socket = new Socket()) {
				socket.connect(new InetSocketAddress(this.host, this.port), 1000);
				return;
			}
			catch (IOException notYet) {
				try {
					Thread.sleep(50);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
					return;
				}
			}
		}
		throw new IllegalStateException("Redis did not listen on " + this.host + ":" + this.port + " within " + START_TIMEOUT);
	}

	@Override
	public void close() {
		kill();
	}

	/** Whether an executable of this name is on the {@code PATH}. */
	static boolean onPath(String program) {
		String path = System.getenv("PATH");
		if (path == null) {
			return false;
		}
		for (String folder : path.split(File.pathSeparator)) {
			if (new File(folder, program).canExecute()) {
				return true;
			}
		}
		return false;
	}

	/** Free local ports, found by binding to port 0. */
	static final class FreePorts {

		static int next() {
			try (ServerSocket socket = new ServerSocket(0)) {
				return socket.getLocalPort();
			}
			catch (IOException ex) {
				throw new IllegalStateException(ex);
			}
		}

	}

}
