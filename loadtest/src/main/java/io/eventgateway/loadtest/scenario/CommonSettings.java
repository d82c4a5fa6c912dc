package io.eventgateway.loadtest.scenario;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;

import io.eventgateway.loadtest.Options;
import io.eventgateway.loadtest.UsageException;
import io.eventgateway.loadtest.client.SourceAddresses;
import io.eventgateway.loadtest.client.Targets;
import io.eventgateway.loadtest.measure.Monitor;
import io.eventgateway.loadtest.measure.ServerStats;
import io.eventgateway.loadtest.report.RunReport;
import org.HdrHistogram.HistogramLogWriter;

/**
 * What every scenario reads: where the gateways are, the token secret, the server processes to
 * watch, the local addresses to connect from, and how many handshakes may be in flight.
 */
record CommonSettings(List<URI> subscriberUrls, List<URI> publisherUrls, String secret, List<Long> serverPids,
		SourceAddresses sourceAddresses, int connectConcurrency, Path histogramLog) {

	static CommonSettings from(Options options, String defaultUrl) {
		String url = options.text("url", defaultUrl);
		String secret = options.secret();
		List<Long> pids;
		try {
			pids = Arrays.stream(options.text("server-pid", "").split(",")).filter(s -> !s.isBlank()).map(String::trim)
				.map(Long::valueOf).toList();
		}
		catch (NumberFormatException ex) {
			throw new UsageException("--server-pid: a comma list of process ids");
		}
		ServerStats.of(pids);
		String sources = options.text("source-addresses", null);
		return new CommonSettings(Targets.parse(options.text("subscriber-urls", url)), Targets.parse(options.text("publisher-urls", url)),
				secret, pids, sources == null ? SourceAddresses.none() : SourceAddresses.parse(sources),
				options.integer("connect-concurrency", 100, 1), histogramLog(options));
	}

	private static Path histogramLog(Options options) {
		String value = options.text("histogram-log", null);
		if (value == null) {
			return null;
		}
		Path path = Path.of(value).toAbsolutePath();
		if (!Files.isDirectory(path.getParent())) {
			throw new UsageException("--histogram-log: no folder " + path.getParent());
		}
		return path;
	}

	/** A monitor of this run's server, writing its interval log when {@code --histogram-log} asked for one. */
	Monitor monitor(String unit, String... latencies) {
		Monitor monitor = new Monitor(unit, server(), System.err, latencies);
		if (this.histogramLog != null) {
			try {
				monitor.intervalLog(new HistogramLogWriter(new PrintStream(Files.newOutputStream(this.histogramLog), true,
						StandardCharsets.UTF_8)));
			}
			catch (IOException ex) {
				throw new UncheckedIOException("cannot write " + this.histogramLog, ex);
			}
		}
		return monitor;
	}

	ServerStats server() {
		return new ServerStats(this.serverPids);
	}

	/** Every distinct gateway URL, subscribers' first. */
	List<URI> allUrls() {
		LinkedHashSet<URI> all = new LinkedHashSet<>(this.subscriberUrls);
		all.addAll(this.publisherUrls);
		return List.copyOf(all);
	}

	void describe(RunReport.Builder report) {
		if (this.publisherUrls.equals(this.subscriberUrls)) {
			report.parameter("gateway URLs", join(this.subscriberUrls));
		}
		else {
			report.parameter("subscriber URLs", join(this.subscriberUrls));
			report.parameter("publisher URLs", join(this.publisherUrls));
		}
		if (!this.sourceAddresses.isEmpty()) {
			report.parameter("source addresses", this.sourceAddresses.addresses().size());
		}
		if (!this.serverPids.isEmpty()) {
			report.parameter("server pids", this.serverPids.toString());
		}
	}

	private static String join(List<URI> urls) {
		return String.join(",", urls.stream().map(URI::toString).toList());
	}

}
