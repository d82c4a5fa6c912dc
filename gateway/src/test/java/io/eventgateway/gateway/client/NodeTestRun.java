package io.eventgateway.gateway.client;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import io.eventgateway.gateway.testing.MissingPrerequisite;

/**
 * Runs test files of the JavaScript client ({@code client/} at the top of the repository) with
 * Node's test runner, against gateways this JVM started. Its report is kept under
 * {@code target/client-tests}.
 */
final class NodeTestRun {

	/** The client package, next to the gateway module. */
	static final Path CLIENT = Path.of("..", "client").toAbsolutePath().normalize();

	private static final long TIMEOUT_MINUTES = 5;

	private NodeTestRun() {
	}

	record Result(int exitCode, String output) {

		/** The report's tail: where Node's runner prints the failures and the counts. */
		String tail() {
			return this.output.length() <= 20_000 ? this.output : this.output.substring(this.output.length() - 20_000);
		}

	}

	/** Runs every {@code *.test.js} in {@code directory} (relative to the client package). */
	static Result run(String directory, String report, Map<String, String> environment)
			throws IOException, InterruptedException {
		List<String> command = new ArrayList<>(List.of(node(), "--experimental-websocket", "--test",
				"--test-reporter=spec", "--test-concurrency=1"));
		try (Stream<Path> files = Files.list(CLIENT.resolve(directory))) {
			files.filter(file -> file.getFileName().toString().endsWith(".test.js"))
				.sorted()
				.forEach(file -> command.add(CLIENT.relativize(file).toString()));
		}
		Path output = Path.of("target", "client-tests", report + ".txt");
		Files.createDirectories(output.getParent());
		ProcessBuilder builder = new ProcessBuilder(command).directory(CLIENT.toFile())
			.redirectErrorStream(true)
			.redirectOutput(output.toFile());
		builder.environment().putAll(environment);
		builder.environment().put("NO_COLOR", "1");
		Process process = builder.start();
		if (!process.waitFor(TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
			process.destroyForcibly().waitFor();
			return new Result(-1, Files.readString(output, StandardCharsets.UTF_8) + "\n(stopped after "
					+ TIMEOUT_MINUTES + " minutes)");
		}
		return new Result(process.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
	}

	/** Node.js 20.10 or newer (its WebSocket), or a one-line failure saying how to get it. */
	private static String node() throws IOException, InterruptedException {
		Process version;
		try {
			version = new ProcessBuilder("node", "--version").redirectErrorStream(true).start();
		}
		catch (IOException ex) {
			throw new MissingPrerequisite("Node.js 20.10 or newer is needed for the client tests (apt-get install nodejs)");
		}
		String text = new String(version.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
		version.waitFor(10, TimeUnit.SECONDS);
		String[] parts = text.replace("v", "").split("\\.");
		int major = Integer.parseInt(parts[0]);
		int minor = Integer.parseInt(parts[1]);
		if (major < 20 || (major == 20 && minor < 10)) {
			throw new MissingPrerequisite("Node.js 20.10 or newer is needed for the client tests; this is " + text);
		}
		return "node";
	}

	/**
	 * The client's npm packages (the browser driver and the TypeScript compiler that checks the
	 * declarations; the client itself has none), installed from
	 * its lock file when missing, or a one-line failure saying why they could not be.
	 */
	static void ensurePackages() throws IOException, InterruptedException {
		Path packages = CLIENT.resolve("node_modules");
		if (Files.isDirectory(packages.resolve("playwright-core")) && Files.isDirectory(packages.resolve("typescript"))) {
			return;
		}
		Process install;
		try {
			install = new ProcessBuilder("npm", "ci", "--no-audit", "--no-fund").directory(CLIENT.toFile())
				.redirectErrorStream(true)
				.start();
		}
		catch (IOException ex) {
			throw new MissingPrerequisite("npm is needed to install the browser tests' packages (apt-get install npm)");
		}
		String output = new String(install.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		if (!install.waitFor(5, TimeUnit.MINUTES) || install.exitValue() != 0) {
			install.destroyForcibly();
			throw new MissingPrerequisite("`npm ci` in " + CLIENT + " failed: " + output.strip());
		}
	}

}
