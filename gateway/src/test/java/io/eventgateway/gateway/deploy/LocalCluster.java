package io.eventgateway.gateway.deploy;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.eventgateway.gateway.testing.MissingPrerequisite;

/**
 * Drives {@code deploy/local/cluster}: gateways in JVMs of their own behind a real HAProxy, on free
 * ports, with a run directory under {@code target/}. The gateways run from the test classpath, so
 * the code under test is what they serve.
 */
final class LocalCluster {

	private static final Duration SCRIPT_TIMEOUT = Duration.ofMinutes(4);

	private static final Pattern CONNECTIONS_GAUGE = Pattern.compile("(?m)^gateway_connections(?:\\{[^}]*\\})? (\\S+)$");

	private final Path script;

	private final Path runDirectory;

	private final Map<String, String> environment;

	private final int frontPort;

	private final int statsPort;

	private final List<Integer> gatewayPorts;

	private LocalCluster(Path script, Path runDirectory, Map<String, String> environment, int frontPort, int statsPort,
			List<Integer> gatewayPorts) {
		this.script = script;
		this.runDirectory = runDirectory;
		this.environment = environment;
		this.frontPort = frontPort;
		this.statsPort = statsPort;
		this.gatewayPorts = gatewayPorts;
	}

	/** A cluster of {@code instances} not yet started, on this database and Redis key prefix. */
	static LocalCluster prepare(int instances, String postgres, String redis, String database, String redisPrefix,
			String secret) {
		requireCommands("haproxy", "curl", "psql", "pg_isready", "redis-cli");
		Path script = repositoryRoot().resolve("deploy/local/cluster");
		List<Integer> ports = freePorts(instances + 2);
		Path runDirectory;
		try {
			Files.createDirectories(Path.of("target"));
			runDirectory = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "local-cluster-");
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		List<Integer> gatewayPorts = ports.subList(2, ports.size());
		Map<String, String> environment = new LinkedHashMap<>();
		environment.put("GATEWAY_AUTH_JWT_SECRET", secret);
		environment.put("INSTANCES", String.valueOf(instances));
		environment.put("PORT", String.valueOf(ports.get(0)));
		environment.put("STATS_PORT", String.valueOf(ports.get(1)));
		environment.put("GATEWAY_PORTS", String.join(" ", gatewayPorts.stream().map(String::valueOf).toList()));
		environment.put("CLUSTER_RUN_DIR", runDirectory.toString());
		environment.put("CLUSTER_DATABASE", database);
		environment.put("CLUSTER_REDIS_PREFIX", redisPrefix);
		environment.put("POSTGRES", postgres);
		environment.put("REDIS", redis);
		environment.put("GATEWAY_CLASSPATH", System.getProperty("java.class.path"));
		environment.put("JAVA", ProcessHandle.current().info().command().orElse("java"));
		environment.put("START_TIMEOUT", "180");
		return new LocalCluster(script, runDirectory, environment, ports.get(0), ports.get(1), List.copyOf(gatewayPorts));
	}

	int frontPort() {
		return this.frontPort;
	}

	Path runDirectory() {
		return this.runDirectory;
	}

	/** Runs {@code deploy/local/cluster <command>}; its exit status and output. */
	Result run(String command) {
		Path output = this.runDirectory.resolve("cluster-" + command + ".out");
		ProcessBuilder builder = new ProcessBuilder("bash", this.script.toString(), command).redirectErrorStream(true)
			.redirectOutput(output.toFile());
		builder.environment().putAll(this.environment);
		try {
			Process process = builder.start();
			if (!process.waitFor(SCRIPT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
				process.descendants().forEach(ProcessHandle::destroyForcibly);
				process.destroyForcibly();
				return new Result(-1, "cluster " + command + " did not finish within " + SCRIPT_TIMEOUT + "\n" + Files.readString(output));
			}
			return new Result(process.exitValue(), Files.readString(output));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("interrupted while running cluster " + command, ex);
		}
	}

	record Result(int exitStatus, String output) {
	}

	/** The pid of gateway {@code instance} (1-based) as its pid file names it. */
	long gatewayPid(int instance) {
		return pidFrom("gateway-" + instance + ".pid");
	}

	long haproxyPid() {
		return pidFrom("haproxy.pid");
	}

	private long pidFrom(String file) {
		try {
			return Long.parseLong(Files.readString(this.runDirectory.resolve(file)).trim());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	List<Integer> gatewayPorts() {
		return this.gatewayPorts;
	}

	/** HAProxy's view of each gateway server ({@code gw1}…): its state and its open connections. */
	Map<String, Server> servers() {
		HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
		HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.statsPort + "/stats;csv"))
			.timeout(Duration.ofSeconds(5))
			.build();
		String csv;
		try {
			csv = http.send(request, HttpResponse.BodyHandlers.ofString()).body();
		}
		catch (IOException ex) {
			throw new UncheckedIOException("HAProxy stats at port " + this.statsPort, ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
		String[] lines = csv.split("\n");
		List<String> header = List.of(lines[0].replaceFirst("^# ", "").split(","));
		int proxy = header.indexOf("pxname");
		int name = header.indexOf("svname");
		int sessions = header.indexOf("scur");
		int status = header.indexOf("status");
		Map<String, Server> servers = new HashMap<>();
		for (int i = 1; i < lines.length; i++) {
			String[] fields = lines[i].split(",", -1);
			if (fields.length > status && fields[proxy].equals("gateways") && !fields[name].equals("BACKEND")) {
				servers.put(fields[name], new Server(fields[status], Integer.parseInt(fields[sessions])));
			}
		}
		return servers;
	}

	record Server(String status, int connections) {
	}

	/**
	 * The instance's own {@code gateway_connections}, read from its {@code /actuator/prometheus}. The
	 * instances take the PROXY protocol only, so the request begins with a PROXY header, as HAProxy's do.
	 */
	OptionalLong connectionsOf(int port) {
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress("127.0.0.1", port), 2000);
			socket.setSoTimeout(5000);
			OutputStream out = socket.getOutputStream();
			// HTTP/1.0: the answer is not chunked and ends when the connection does.
			out.write(("PROXY TCP4 127.0.0.1 127.0.0.1 " + socket.getLocalPort() + " " + port + "\r\n"
					+ "GET /actuator/prometheus HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
			out.flush();
			String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
			Matcher gauge = CONNECTIONS_GAUGE.matcher(answer);
			return gauge.find() ? OptionalLong.of((long) Double.parseDouble(gauge.group(1))) : OptionalLong.empty();
		}
		catch (IOException ex) {
			return OptionalLong.empty();
		}
	}

	static boolean listening(int port) {
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
			return true;
		}
		catch (IOException ex) {
			return false;
		}
	}

	/** The last lines of each gateway's log, for a failure message. */
	String logTails() {
		StringBuilder tails = new StringBuilder();
		try (var files = Files.list(this.runDirectory)) {
			for (Path log : files.filter(path -> path.getFileName().toString().endsWith(".log")).sorted().toList()) {
				List<String> lines = Files.readAllLines(log);
				tails.append("--- ").append(log).append('\n')
					.append(String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size())))
					.append('\n');
			}
		}
		catch (IOException | UncheckedIOException ex) {
			tails.append("(logs not readable: ").append(ex.getMessage()).append(")");
		}
		return tails.toString();
	}

	static Path repositoryRoot() {
		for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
			if (Files.isRegularFile(dir.resolve("deploy/local/cluster"))) {
				return dir;
			}
		}
		throw new IllegalStateException("no deploy/local/cluster above " + Path.of("").toAbsolutePath());
	}

	static void requireCommands(String... commands) {
		List<String> missing = new ArrayList<>();
		for (String command : commands) {
			if (!onPath(command)) {
				missing.add(command);
			}
		}
		if (!missing.isEmpty()) {
			throw new MissingPrerequisite("deploy/local/cluster needs " + String.join(", ", missing)
					+ " on the PATH (apt-get install haproxy curl postgresql-client redis-tools; bash .ci/run installs them)");
		}
	}

	private static boolean onPath(String command) {
		String path = System.getenv().getOrDefault("PATH", "");
		for (String dir : path.split(java.io.File.pathSeparator)) {
			if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, command))) {
				return true;
			}
		}
		return false;
	}

	private static List<Integer> freePorts(int count) {
		// All held at once, so that no two are the same.
		List<ServerSocket> sockets = new ArrayList<>();
		try {
			for (int i = 0; i < count; i++) {
				sockets.add(new ServerSocket(0));
			}
			return sockets.stream().map(ServerSocket::getLocalPort).toList();
		}
		catch (IOException ex) {
			throw new UncheckedIOException("no free port", ex);
		}
		finally {
			for (ServerSocket socket : sockets) {
				try {
					socket.close();
				}
				catch (IOException ex) {
					// Closing a listening socket that was never used: nothing to lose.
				}
			}
		}
	}

}
