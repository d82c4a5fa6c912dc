package io.eventgateway.loadtest.report;

import java.util.Locale;
import java.util.OptionalDouble;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.eventgateway.loadtest.UsageException;
import org.HdrHistogram.Histogram;

/**
 * A limit on one figure of a run, from the command line: {@code p99<50ms}, {@code errors=0},
 * {@code connect_p99<=200ms}, {@code rate>=1000}. Latencies are compared in milliseconds
 * ({@code us}, {@code ms} and {@code s} are accepted), a ratio may be written as a percentage.
 */
public record Threshold(String text, String metric, Comparison comparison, double limit) {

	private static final Pattern SYNTAX = Pattern.compile("([a-z0-9_]+)\\s*(<=|>=|==|=|<|>)\\s*([0-9]+(?:\\.[0-9]+)?)\\s*([a-zµ/%]*)");

	private static final Pattern LATENCY = Pattern.compile("(?:([a-z]+)_)?(p50|p90|p99|p999|max)");

	/** How the actual value must relate to the limit. */
	public enum Comparison {

		LESS("<"), LESS_OR_EQUAL("<="), GREATER(">"), GREATER_OR_EQUAL(">="), EQUAL("=");

		private final String symbol;

		Comparison(String symbol) {
			this.symbol = symbol;
		}

		static Comparison of(String symbol) {
			for (Comparison comparison : values()) {
				if (comparison.symbol.equals(symbol.equals("==") ? "=" : symbol)) {
					return comparison;
				}
			}
			throw new UsageException("unknown comparison " + symbol);
		}

		boolean holds(double actual, double limit) {
			return switch (this) {
				case LESS -> actual < limit;
				case LESS_OR_EQUAL -> actual <= limit;
				case GREATER -> actual > limit;
				case GREATER_OR_EQUAL -> actual >= limit;
				case EQUAL -> Math.abs(actual - limit) < 1e-9;
			};
		}

	}

	public static Threshold parse(String text) {
		Matcher matcher = SYNTAX.matcher(text.trim().toLowerCase(Locale.ROOT));
		if (!matcher.matches()) {
			throw new UsageException("--threshold: expected metric, one of < <= > >= =, and a number (p99<50ms, errors=0), got '" + text + "'");
		}
		String metric = matcher.group(1);
		double number = Double.parseDouble(matcher.group(3));
		String unit = matcher.group(4);
		Matcher latency = LATENCY.matcher(metric);
		double limit;
		if (latency.matches()) {
			if (latency.group(1) != null && !MetricKeys.STREAMS.contains(latency.group(1))) {
				throw new UsageException("--threshold: unknown latency " + latency.group(1) + " in '" + text + "' (known: "
						+ String.join(", ", MetricKeys.STREAMS) + ")");
			}
			limit = switch (unit) {
				case "", "ms" -> number;
				case "s" -> number * 1000;
				case "us", "µs" -> number / 1000;
				default -> throw new UsageException("--threshold: a latency is in us, ms or s, got '" + unit + "' in '" + text + "'");
			};
		}
		else if (MetricKeys.COUNTS.contains(metric)) {
			limit = switch (unit) {
				case "", "/s" -> number;
				case "%" -> number / 100;
				default -> throw new UsageException("--threshold: unexpected unit '" + unit + "' in '" + text + "'");
			};
		}
		else {
			throw new UsageException("--threshold: unknown metric '" + metric + "' (known: p50, p90, p99, p999, max, <latency>_p99, "
					+ String.join(", ", new TreeSet<>(MetricKeys.COUNTS)) + ")");
		}
		return new Threshold(text.trim(), metric, Comparison.of(matcher.group(2)), limit);
	}

	/** PASS or FAIL with the value seen; FAIL when the scenario does not measure the metric at all. */
	public Check evaluate(RunReport report) {
		OptionalDouble actual = actual(report);
		if (actual.isEmpty()) {
			return new Check(this.text, false, "not measured by the " + report.scenario() + " scenario");
		}
		boolean latency = LATENCY.matcher(this.metric).matches();
		double value = actual.getAsDouble();
		String shown = latency ? String.format("%.2f ms", value)
				: value == Math.rint(value) ? String.valueOf((long) value) : String.format("%.4g", value);
		return new Check(this.text, this.comparison.holds(actual.getAsDouble(), this.limit), "actual " + shown);
	}

	private OptionalDouble actual(RunReport report) {
		Matcher latency = LATENCY.matcher(this.metric);
		if (latency.matches()) {
			Histogram histogram = latency.group(1) == null ? report.mainLatency() : report.latencies().get(latency.group(1));
			if (histogram == null || histogram.getTotalCount() == 0) {
				return OptionalDouble.empty();
			}
			return OptionalDouble.of(switch (latency.group(2)) {
				case "max" -> Millis.max(histogram);
				case "p999" -> Millis.at(histogram, 99.9);
				default -> Millis.at(histogram, Double.parseDouble(latency.group(2).substring(1)));
			});
		}
		String key = this.metric.equals(MetricKeys.DELIVERIES_PER_S) ? MetricKeys.RATE : this.metric;
		return report.metric(key).map(metric -> OptionalDouble.of(metric.value())).orElse(OptionalDouble.empty());
	}

}
