package io.eventgateway.loadtest.report;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.eventgateway.loadtest.measure.Sample;
import io.eventgateway.loadtest.measure.WindowResult;
import org.HdrHistogram.Histogram;

/**
 * The outcome of one run, whatever the scenario: what was asked, the figures, latency histograms
 * (microseconds; the first is the run's main latency), the timeline, extra tables and the checks
 * that make the verdict.
 *
 * @param operation what one operation is, plural ("deliveries", "requests", "connections")
 */
public record RunReport(String scenario, String operation, Map<String, String> parameters, List<Metric> metrics,
		Map<String, Histogram> latencies, List<Table> tables, List<Sample> timeline, List<Check> checks) {

	public static Builder builder(String scenario, String operation) {
		return new Builder(scenario, operation);
	}

	/** The main latency, or {@code null} when the scenario measured none. */
	public Histogram mainLatency() {
		return this.latencies.isEmpty() ? null : this.latencies.values().iterator().next();
	}

	public Optional<Metric> metric(String key) {
		return this.metrics.stream().filter(metric -> metric.key().equals(key)).findFirst();
	}

	public boolean passed() {
		return this.checks.stream().allMatch(Check::passed);
	}

	/** This report with more checks (the thresholds), after its own. */
	public RunReport withChecks(List<Check> more) {
		List<Check> all = new ArrayList<>(this.checks);
		all.addAll(more);
		return new RunReport(this.scenario, this.operation, this.parameters, this.metrics, this.latencies, this.tables,
				this.timeline, List.copyOf(all));
	}

	/** Collects a report's parts in the order they are shown. */
	public static final class Builder {

		private final String scenario;

		private final String operation;

		private final Map<String, String> parameters = new LinkedHashMap<>();

		private final List<Metric> metrics = new ArrayList<>();

		private final Map<String, Histogram> latencies = new LinkedHashMap<>();

		private final List<Table> tables = new ArrayList<>();

		private final List<Check> checks = new ArrayList<>();

		private List<Sample> timeline = List.of();

		private Builder(String scenario, String operation) {
			this.scenario = scenario;
			this.operation = operation;
		}

		public Builder parameter(String name, Object value) {
			this.parameters.put(name, String.valueOf(value));
			return this;
		}

		public Builder count(String key, String label, long value) {
			return metric(key, label, value, "", 0);
		}

		public Builder metric(String key, String label, double value, String unit, int decimals) {
			this.metrics.add(new Metric(key, label, value, unit, decimals));
			return this;
		}

		public Builder latency(String stream, Histogram histogram) {
			this.latencies.put(stream, histogram);
			return this;
		}

		/**
		 * The figures every scenario reports from its measured window: throughput, latency streams,
		 * CPU per operation (server and generator), server memory peak.
		 */
		public Builder measured(WindowResult window) {
			metric(MetricKeys.RATE, this.operation + " per second", window.perSecond(), "/s", 0);
			if (window.serverCpuSeconds() >= 0) {
				metric(MetricKeys.SERVER_CPU_US, "server CPU per " + singular(), window.serverCpuMicrosPerOperation(), "µs", 2);
			}
			metric(MetricKeys.GENERATOR_CPU_US, "generator CPU per " + singular(), window.generatorCpuMicrosPerOperation(), "µs", 2);
			if (window.rssPeakKib() >= 0) {
				metric(MetricKeys.RSS_PEAK_MIB, "server RSS peak", window.rssPeakKib() / 1024.0, "MiB", 0);
			}
			window.latencies().forEach(this::latency);
			return this;
		}

		public Builder table(Table table) {
			this.tables.add(table);
			return this;
		}

		/** A table of label to count, such as status codes. */
		public Builder counts(String title, String labelColumn, Map<String, Long> counts) {
			List<List<String>> rows = new ArrayList<>();
			counts.forEach((label, count) -> rows.add(List.of(label, String.valueOf(count))));
			return table(new Table(title, List.of(labelColumn, "count"), rows));
		}

		public Builder timeline(List<Sample> samples) {
			this.timeline = List.copyOf(samples);
			return this;
		}

		public Builder check(String name, boolean passed, String detail) {
			this.checks.add(new Check(name, passed, detail));
			return this;
		}

		public RunReport build() {
			return new RunReport(this.scenario, this.operation, Collections.unmodifiableMap(new LinkedHashMap<>(this.parameters)),
					List.copyOf(this.metrics), Collections.unmodifiableMap(new LinkedHashMap<>(this.latencies)),
					List.copyOf(this.tables), this.timeline, List.copyOf(this.checks));
		}

		private String singular() {
			return switch (this.operation) {
				case "deliveries" -> "delivery";
				default -> this.operation.endsWith("s") ? this.operation.substring(0, this.operation.length() - 1) : this.operation;
			};
		}

	}

}
