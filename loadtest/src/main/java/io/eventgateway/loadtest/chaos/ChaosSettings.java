package io.eventgateway.loadtest.chaos;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.eventgateway.loadtest.Options;
import io.eventgateway.loadtest.UsageException;

/** What a chaos run is told: the fault, its seed, the load and where things are. */
public record ChaosSettings(Fault fault, long seed, String variant, Duration duration, int clients, int rooms, int rate, int payload,
		int instances, String heap, Path gatewayJar, String postgres, Path historyFile, Path histogramLog, Path workDirectory,
		Duration soakSampleInterval) {

	static final String DEFAULT_JAR = "gateway/target/gateway-0.1.0-SNAPSHOT.jar";

	static ChaosSettings from(Fault fault, Options options) {
		String variant = options.text("variant", "short");
		if (!variant.equals("short") && !variant.equals("full")) {
			throw new UsageException("--variant takes short or full, got " + variant);
		}
		boolean full = variant.equals("full");
		Duration fallbackDuration = fault == Fault.SOAK ? (full ? Duration.ofMinutes(10) : Duration.ofSeconds(50))
				: (full ? Duration.ofMinutes(2) : Duration.ofSeconds(fault.hold().toSeconds() + 16));
		long seed = options.has("seed") ? parseSeed(options.text("seed", "0")) : System.nanoTime() & 0xffff_ffffL;
		// 4 KB events for slow consumers: a stalled client (its receive buffer held at 64 KiB) outgrows
		// the gateway's 128 KB bound within seconds, while 2 MB/s of deliveries leaves the readers room.
		int payload = options.integer("payload", fault == Fault.SLOW ? 4_000 : 100, 0);
		Path jar = jar(options.text("gateway-jar", DEFAULT_JAR));
		Path work = options.has("work-dir") ? Path.of(options.text("work-dir", ".")).toAbsolutePath() : temp(fault);
		return new ChaosSettings(fault, seed, variant, options.duration("duration", fallbackDuration), options.integer("clients", 20, 2),
				options.integer("rooms", 4, 1), options.integer("rate", 100, 1), payload,
				options.integer("instances", 2, 2), options.text("heap", "256m"), jar, options.text("postgres", "127.0.0.1:5432"),
				options.outputFile("history"), options.outputFile("histogram-log"), work,
				full ? Duration.ofSeconds(30) : Duration.ofSeconds(5));
	}

	private static long parseSeed(String text) {
		try {
			return Long.parseLong(text);
		}
		catch (NumberFormatException ex) {
			throw new UsageException("--seed: a whole number, got " + text);
		}
	}

	/** The jar from the working directory, or from the module folder's parent (tests run in {@code loadtest/}). */
	private static Path jar(String given) {
		Path path = Path.of(given);
		if (!Files.isRegularFile(path) && !path.isAbsolute() && Files.isRegularFile(Path.of("..").resolve(path))) {
			path = Path.of("..").resolve(path);
		}
		if (!Files.isRegularFile(path)) {
			throw new UsageException("no gateway jar at " + given + " (./mvnw -q -pl gateway -am package -DskipTests builds it)");
		}
		return path.toAbsolutePath().normalize();
	}

	private static Path temp(Fault fault) {
		try {
			return Files.createTempDirectory("chaos-" + fault.command + "-");
		}
		catch (java.io.IOException ex) {
			throw new IllegalStateException(ex);
		}
	}


	/** The command that runs this again with the same seed and load. */
	String replayCommand() {
		List<String> words = new ArrayList<>(List.of("java -jar loadtest/target/gateway-loadtest-0.1.0-SNAPSHOT.jar chaos", this.fault.command,
				"--seed=" + this.seed, "--variant=" + this.variant, "--duration=" + Options.durationText(this.duration),
				"--clients=" + this.clients, "--rooms=" + this.rooms, "--rate=" + this.rate, "--payload=" + this.payload,
				"--instances=" + this.instances));
		return String.join(" ", words);
	}

}
