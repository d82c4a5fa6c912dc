package io.eventgateway.loadtest.chaos;

import java.nio.file.Path;
import java.util.List;

import io.eventgateway.loadtest.Options;
import io.eventgateway.loadtest.chaos.Violation.Kind;
import io.eventgateway.loadtest.report.RunReport;
import org.HdrHistogram.Histogram;

/** What one chaos run found: the checker's result and the figures of its row in the reliability table. */
public record ChaosOutcome(ChaosSettings settings, HistoryChecker.Result result, Histogram latency, Histogram latencyDuringFault,
		ResourceSamples resources, long slowConsumerCloses, int slowClients, Path historyFile, long seconds) {

	/**
	 * While some consumers stall, the delivery p99 of those that keep reading (between clients that
	 * never stalled) must stay below this: generous for two shared cores, far below a stall's seconds.
	 */
	static final long READERS_P99_BOUND_MICROS = 500_000;

	/**
	 * While consumers stall, a server must keep what a collection leaves of its heap below this share of -Xmx.
	 * The heap in use is no bound: it includes garbage and climbs to -Xmx between collections.
	 */
	private static final double LIVE_HEAP_BOUND = 0.5;

	public boolean passed() {
		return this.result.passed() && extraChecksPass();
	}

	private boolean extraChecksPass() {
		if (this.settings.fault() != Fault.SLOW) {
			return true;
		}
		return this.slowConsumerCloses > 0 && liveHeapBounded() && readersKeptTheirP99();
	}

	private boolean readersKeptTheirP99() {
		return this.latencyDuringFault.getTotalCount() > 0 && readersP99Micros() < READERS_P99_BOUND_MICROS;
	}

	private long readersP99Micros() {
		return this.latencyDuringFault.getValueAtPercentile(99);
	}

	private boolean liveHeapBounded() {
		return this.resources.peakLiveBytes() > 0 && this.resources.peakLiveBytes() < LIVE_HEAP_BOUND * heapLimitBytes();
	}

	private long heapLimitBytes() {
		String heap = this.settings.heap().toLowerCase();
		long number = Long.parseLong(heap.replaceAll("\\D", ""));
		return heap.endsWith("g") ? number << 30 : heap.endsWith("m") ? number << 20 : number;
	}

	RunReport report() {
		ChaosSettings s = this.settings;
		RunReport.Builder report = RunReport.builder("chaos " + s.fault().command, "deliveries")
			.parameter("seed", s.seed())
			.parameter("variant", s.variant())
			.parameter("fault", s.fault().description)
			.parameter("load", load())
			.parameter("history", this.historyFile)
			.parameter("replay", s.replayCommand())
			.count("published", "publishes (distinct ids)", this.result.published())
			.count("acked", "acknowledged", this.result.acknowledged())
			.count("delivered", "deliveries (distinct per subscriber)", this.result.delivered())
			.count("lost", "lost", this.result.lost())
			.count("duplicated", "duplicated", this.result.duplicated())
			.count("recoveries", "rejoins answered recovered:true", this.result.recoveries())
			.count("recovered_false", "rejoins answered recovered:false", this.result.recoveredFalse())
			.count("resume_ms", "longest time from a fault to the next acknowledgement (ms)", this.result.resumeMillis())
			.count("server_heap_peak_mib", "server heap in use, peak (MiB, Prometheus)", this.resources.peakHeapBytes() >> 20)
			.count("server_live_heap_peak_mib", "server heap after a forced collection mid-fault, peak (MiB)", this.resources.peakLiveBytes() >> 20);
		if (this.latency.getTotalCount() > 0) {
			report.latency("delivery", this.latency);
		}
		if (this.latencyDuringFault.getTotalCount() > 0) {
			report.latency("delivery while the fault lasted", this.latencyDuringFault);
		}
		if (s.fault() == Fault.SLOW) {
			report.count("slow_closes", "slow consumers closed by the server (1013)", this.slowConsumerCloses)
				.check("slow consumers closed with 1013", this.slowConsumerCloses > 0, this.slowConsumerCloses + " closes of " + this.slowClients + " slow clients")
				.check("server heap after a collection stayed below " + Math.round(LIVE_HEAP_BOUND * 100) + " % of -Xmx" + s.heap(),
						liveHeapBounded(), (this.resources.peakLiveBytes() >> 20) + " MiB")
				.check("readers' delivery p99 while the others stalled stayed below " + READERS_P99_BOUND_MICROS / 1000 + " ms",
						readersKeptTheirP99(), String.format("%.1f ms", readersP99Micros() / 1000.0));
		}
		if (s.fault() == Fault.SOAK) {
			report.count("heap_slope_mib_per_hour", "heap after GC, slope (MiB/h)", Math.round(heapSlopeMibPerHour()))
				.count("rss_slope_mib_per_hour", "RSS, slope (MiB/h)", Math.round(rssSlopeMibPerHour()))
				.count("soak_samples", "samples", this.resources.soak().size());
		}
		for (Kind kind : Kind.values()) {
			int count = this.result.count(kind);
			List<String> shown = this.result.violations().getOrDefault(kind, List.of());
			report.check("no " + kind.name().toLowerCase().replace('_', ' '), count == 0, count == 0 ? "" : count + ": " + String.join(" | ", shown));
		}
		return report.build();
	}

	double heapSlopeMibPerHour() {
		return ResourceSamples.slopePerHour(this.resources.soak(), true) / (1 << 20);
	}

	double rssSlopeMibPerHour() {
		return ResourceSamples.slopePerHour(this.resources.soak(), false) / (1 << 20);
	}

	String load() {
		ChaosSettings s = this.settings;
		return s.instances() + " instances, " + s.clients() + " clients in " + s.rooms() + " rooms, " + s.rate() + " publishes/s of "
				+ s.payload() + " B for " + Options.durationText(s.duration());
	}

	/** The row of the reliability table. */
	List<String> row(String date) {
		ChaosSettings s = this.settings;
		String recover = this.result.resumeMillis() < 0 ? "–" : String.format("%.1f s", this.result.resumeMillis() / 1000.0);
		String notes = "";
		if (s.fault() == Fault.SLOW) {
			notes = String.format("%d closes with 1013 of %d slow clients; readers' p99 %.1f ms while they stalled, %.1f ms over the run; live heap peak %d MiB",
					this.slowConsumerCloses, this.slowClients, readersP99Micros() / 1000.0, this.latency.getValueAtPercentile(99) / 1000.0,
					this.resources.peakLiveBytes() >> 20);
		}
		else if (s.fault() == Fault.SOAK) {
			notes = String.format("heap after GC %+.0f MiB/h, RSS %+.0f MiB/h over %d samples", heapSlopeMibPerHour(), rssSlopeMibPerHour(),
					this.resources.soak().size());
		}
		else {
			notes = String.format("p99 delivery %.1f ms; %d recoveries, %d recovered:false", this.latency.getValueAtPercentile(99) / 1000.0,
					this.result.recoveries(), this.result.recoveredFalse());
		}
		return List.of("`" + s.fault().command + "`", load(), s.fault().description, String.valueOf(this.result.acknowledged()),
				String.valueOf(this.result.delivered()), String.valueOf(this.result.lost()), String.valueOf(this.result.duplicated()), recover,
				passed() ? "pass" : "**FAIL**", notes, "`" + s.replayCommand() + "`", date);
	}

}
