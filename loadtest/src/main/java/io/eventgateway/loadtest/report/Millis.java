package io.eventgateway.loadtest.report;

import org.HdrHistogram.Histogram;

/** Reads of latency histograms recorded in microseconds, in milliseconds. */
public final class Millis {

	/** The percentiles every report shows, as HdrHistogram takes them. */
	public static final double[] PERCENTILES = { 50, 90, 99, 99.9 };

	/** Their names: p50, p90, p99, p999. */
	public static final String[] NAMES = { "p50", "p90", "p99", "p999" };

	private Millis() {
	}

	public static double at(Histogram histogram, double percentile) {
		return histogram.getValueAtPercentile(percentile) / 1000.0;
	}

	public static double max(Histogram histogram) {
		return histogram.getMaxValue() / 1000.0;
	}

	/** {@code p50 / p90 / p99 / p99.9 / max} in ms. */
	public static String summary(Histogram histogram) {
		return String.format("%.2f / %.2f / %.2f / %.2f / %.2f ms", at(histogram, 50), at(histogram, 90), at(histogram, 99),
				at(histogram, 99.9), max(histogram));
	}

}
