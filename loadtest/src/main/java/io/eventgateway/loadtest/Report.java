package io.eventgateway.loadtest;

import org.HdrHistogram.Histogram;

/** The outcome of a fan-out run: a table for people, JSON for machines, and the verdict. */
record Report(FanoutScenario.Settings settings, long sent, long acks, long errors, long expected, long delivered,
		long gaps, long duplicates, double deliveriesPerSecond, Histogram latency, Histogram ackLatency,
		double serverCpuMicrosPerDelivery, double generatorCpuMicrosPerDelivery, long rssAtRestKib, long rssConnectedKib, long rssPeakKib) {

	boolean passed() {
		return this.errors == 0 && this.acks == this.sent && this.delivered == this.expected && this.gaps == 0
				&& this.duplicates == 0;
	}

	void print() {
		System.out.println();
		row("connections / rooms / publishers", this.settings.connections() + " / " + this.settings.rooms() + " / "
				+ this.settings.publishers());
		row("publish rate (target)", this.settings.rate() + "/s, payload " + this.settings.payload() + " B");
		row("published / acked / errors", this.sent + " / " + this.acks + " / " + this.errors);
		row("deliveries expected / received", this.expected + " / " + this.delivered);
		row("gaps / duplicates", this.gaps + " / " + this.duplicates);
		row("deliveries per second (measured)", String.format("%.0f", this.deliveriesPerSecond));
		row("delivery latency p50 / p90 / p99 / p99.9 / max", percentiles(this.latency));
		row("ack latency p50 / p99 / max", String.format("%.2f / %.2f / %.2f ms", ms(this.ackLatency, 50),
				ms(this.ackLatency, 99), this.ackLatency.getMaxValue() / 1000.0));
		row("generator CPU per delivery", String.format("%.2f µs", this.generatorCpuMicrosPerDelivery));
		if (this.serverCpuMicrosPerDelivery >= 0) {
			row("server CPU per delivery", String.format("%.2f µs", this.serverCpuMicrosPerDelivery));
			row("server RSS at rest / connected / peak", this.rssAtRestKib / 1024 + " / " + this.rssConnectedKib / 1024
					+ " / " + this.rssPeakKib / 1024 + " MiB");
		}
		row("verdict", passed() ? "PASS (every delivery made, no gap, no duplicate)" : "FAIL");
	}

	String json() {
		return String.format(
				"{\"connections\":%d,\"rooms\":%d,\"publishers\":%d,\"rate\":%d,\"payload\":%d,\"sent\":%d,\"acks\":%d,"
						+ "\"errors\":%d,\"expected\":%d,\"delivered\":%d,\"gaps\":%d,\"duplicates\":%d,"
						+ "\"deliveriesPerSecond\":%.0f,\"latencyMs\":{\"p50\":%.3f,\"p90\":%.3f,\"p99\":%.3f,\"p999\":%.3f,\"max\":%.3f},"
						+ "\"ackLatencyMs\":{\"p50\":%.3f,\"p99\":%.3f},\"serverCpuMicrosPerDelivery\":%.3f,\"rssPeakKib\":%d,"
						+ "\"passed\":%b}%n",
				this.settings.connections(), this.settings.rooms(), this.settings.publishers(), this.settings.rate(),
				this.settings.payload(), this.sent, this.acks, this.errors, this.expected, this.delivered, this.gaps,
				this.duplicates, this.deliveriesPerSecond, ms(this.latency, 50), ms(this.latency, 90), ms(this.latency, 99),
				ms(this.latency, 99.9), this.latency.getMaxValue() / 1000.0, ms(this.ackLatency, 50), ms(this.ackLatency, 99),
				this.serverCpuMicrosPerDelivery, this.rssPeakKib, passed());
	}

	private static String percentiles(Histogram histogram) {
		return String.format("%.2f / %.2f / %.2f / %.2f / %.2f ms", ms(histogram, 50), ms(histogram, 90), ms(histogram, 99),
				ms(histogram, 99.9), histogram.getMaxValue() / 1000.0);
	}

	private static double ms(Histogram histogram, double percentile) {
		return histogram.getValueAtPercentile(percentile) / 1000.0;
	}

	private static void row(String name, String value) {
		System.out.printf("%-48s %s%n", name, value);
	}

}
