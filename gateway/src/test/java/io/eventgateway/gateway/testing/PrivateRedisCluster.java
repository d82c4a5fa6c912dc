package io.eventgateway.gateway.testing;

import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Stream;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.sync.RedisCommands;

/**
 * A Redis Cluster of three masters of the test's own, as {@code redis-server} processes on private
 * ports with their files in a temporary folder. A master can be killed (SIGKILL, as a crash) and
 * started again on its port with its {@code nodes.conf}, so it comes back as the same node with the
 * same slots. Closing it kills every process and removes the folder.
 */
public final class PrivateRedisCluster implements AutoCloseable {

	private static final Duration START_TIMEOUT = Duration.ofSeconds(30);

	private static final int MASTERS = 3;

	private final Path folder;

	private final List<Integer> ports = new ArrayList<>();

	private final Process[] processes = new Process[MASTERS];

	private PrivateRedisCluster(Path folder) {
		this.folder = folder;
	}

	/** Starts three masters and assigns the 16384 slots among them, a third each, in port order. */
	public static PrivateRedisCluster start() {
		if (!PrivateRedis.onPath("redis-server") || !PrivateRedis.onPath("redis-cli")) {
			throw new MissingPrerequisite("No redis-server and redis-cli on the PATH: a test of a Redis Cluster needs them "
					+ "(apt-get install redis-server, Redis 7 or newer for sharded pub/sub)");
		}
		PrivateRedisCluster cluster;
		try {
			cluster = new PrivateRedisCluster(Files.createTempDirectory("redis-cluster-"));
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
		try {
			for (int i = 0; i < MASTERS; i++) {
				cluster.ports.add(freePortWithFreeBusPort());
				cluster.startNode(i);
			}
			List<String> create = new ArrayList<>(List.of("redis-cli", "--cluster", "create"));
			cluster.ports.forEach(port -> create.add("127.0.0.1:" + port));
			create.add("--cluster-yes");
			run(create);
			cluster.awaitClusterOk();
			return cluster;
		}
		catch (RuntimeException ex) {
			cluster.close();
			throw ex;
		}
	}

	/** {@code redis-cluster://127.0.0.1:p1,127.0.0.1:p2,127.0.0.1:p3}: every master as a seed. */
	public String url() {
		return "redis-cluster://" + String.join(",", this.ports.stream().map(port -> "127.0.0.1:" + port).toList());
	}

	public List<Integer> ports() {
		return List.copyOf(this.ports);
	}

	/** The port of the master that owns {@code slot}, as the cluster says (CLUSTER NODES of its first node). */
	public int ownerOf(int slot) {
		String nodes = onNode(this.ports.get(0), RedisCommands::clusterNodes);
		for (String line : nodes.split("\n")) {
			// id host:port@bus flags master ping pong epoch state slot-range...
			String[] fields = line.strip().split(" ");
			if (fields.length < 9 || !fields[2].contains("master")) {
				continue;
			}
			for (int i = 8; i < fields.length; i++) {
				if (fields[i].startsWith("[")) {
					continue; // A slot being migrated.
				}
				String[] bounds = fields[i].split("-");
				if (slot >= Integer.parseInt(bounds[0]) && slot <= Integer.parseInt(bounds[bounds.length - 1])) {
					String address = fields[1].substring(0, fields[1].indexOf('@'));
					return Integer.parseInt(address.substring(address.lastIndexOf(':') + 1));
				}
			}
		}
		throw new IllegalStateException("no master owns slot " + slot + ": " + nodes);
	}

	/** Runs commands on one node, on a connection of their own (not a cluster client: no redirects). */
	public <T> T onNode(int port, Function<RedisCommands<String, String>, T> commands) {
		RedisClient client = RedisClient.create(RedisURI.create("127.0.0.1", port));
		try (var connection = client.connect()) {
			return commands.apply(connection.sync());
		}
		finally {
			client.shutdown();
		}
	}

	/** Kills the master on {@code port} at once, as a crash would (SIGKILL: no save, no goodbye). */
	public synchronized void kill(int port) {
		int node = this.ports.indexOf(port);
		Process process = this.processes[node];
		if (process != null) {
			process.destroyForcibly();
			try {
				process.waitFor(10, TimeUnit.SECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			this.processes[node] = null;
		}
	}

	/** Starts a killed master again on its port, from its nodes.conf; returns once the cluster is ok again. */
	public synchronized void restart(int port) {
		startNode(this.ports.indexOf(port));
		awaitClusterOk();
	}

	private void startNode(int node) {
		int port = this.ports.get(node);
		Path dir = this.folder.resolve(Integer.toString(port));
		try {
			Files.createDirectories(dir);
			this.processes[node] = new ProcessBuilder("redis-server", "--port", Integer.toString(port), "--bind", "127.0.0.1",
					"--dir", dir.toString(), "--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf",
					// A master that is away must not stop the others from serving their own slots.
					"--cluster-require-full-coverage", "no", "--cluster-node-timeout", "2000", "--save", "",
					"--appendonly", "no")
				.redirectErrorStream(true)
				.redirectOutput(dir.resolve("redis.log").toFile())
				.start();
		}
		catch (IOException ex) {
			throw new IllegalStateException("redis-server could not be started: " + ex.getMessage(), ex);
		}
		awaitListening(port);
		String answering = PrivateRedis.infoField(onNode(port, commands -> commands.info("server")), "process_id");
		if (!answering.equals(Long.toString(this.processes[node].pid()))) {
			throw new IllegalStateException("another Redis answers on port " + port + " (process " + answering + ")");
		}
	}

	/** Until every running node says {@code cluster_state:ok} and knows every slot. */
	private void awaitClusterOk() {
		long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
		while (true) {
			boolean ok = true;
			for (int node = 0; node < MASTERS; node++) {
				if (this.processes[node] == null) {
					continue;
				}
				String info = onNode(this.ports.get(node), commands -> commands.clusterInfo());
				ok &= info.contains("cluster_state:ok") && info.contains("cluster_slots_ok:16384")
						&& info.contains("cluster_known_nodes:" + MASTERS);
			}
			if (ok) {
				return;
			}
			if (System.nanoTime() > deadline) {
				throw new IllegalStateException("the Redis Cluster was not ok within " + START_TIMEOUT);
			}
			sleep(100);
		}
	}

	@Override
	public synchronized void close() {
		for (int port : this.ports) {
			kill(port);
		}
		try (Stream<Path> files = Files.walk(this.folder)) {
			files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
		}
		catch (IOException ex) {
			// A temporary folder left behind harms no later run.
		}
	}

	private static void run(List<String> command) {
		try {
			Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
			String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
			if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
				throw new IllegalStateException(String.join(" ", command) + " failed: " + output);
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

	/** A free port whose cluster bus port (port + 10000) is free too. */
	private static int freePortWithFreeBusPort() {
		for (int attempt = 0; attempt < 100; attempt++) {
			int port = ThreadLocalRandom.current().nextInt(20000, 30000);
			if (free(port) && free(port + 10000)) {
				return port;
			}
		}
		throw new IllegalStateException("no free pair of ports for a Redis Cluster node");
	}

	private static boolean free(int port) {
		try (ServerSocket socket = new ServerSocket(port, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
			return true;
		}
		catch (IOException taken) {
			return false;
		}
	}

	private static void awaitListening(int port) {
		long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
		while (System.nanoTime() < deadline) {
			try (Socket socket = new Socket()) {
				socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
				return;
			}
			catch (IOException notYet) {
				sleep(50);
			}
		}
		throw new IllegalStateException("Redis did not listen on 127.0.0.1:" + port + " within " + START_TIMEOUT);
	}

	private static void sleep(long millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}


}
