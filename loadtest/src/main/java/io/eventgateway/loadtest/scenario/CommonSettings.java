package io.eventgateway.loadtest.scenario;

import java.net.URI;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;

import io.eventgateway.loadtest.Options;
import io.eventgateway.loadtest.UsageException;
import io.eventgateway.loadtest.client.SourceAddresses;
import io.eventgateway.loadtest.client.Targets;
import io.eventgateway.loadtest.measure.ServerStats;
import io.eventgateway.loadtest.report.RunReport;

/**
 * What every scenario reads: where the gateways are, the token secret, the server processes to
 * watch, the local addresses to connect from, and how many handshakes may be in flight.
 */
record CommonSettings(List<URI> subscriberUrls, List<URI> publisherUrls, String secret, List<Long> serverPids,
		SourceAddresses sourceAddresses, int connectConcurrency) {

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
				options.integer("connect-concurrency", 100, 1));
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
