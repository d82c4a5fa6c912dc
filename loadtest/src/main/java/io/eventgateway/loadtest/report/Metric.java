package io.eventgateway.loadtest.report;

/**
 * One figure of a report.
 *
 * @param key the stable name thresholds and the JSON report use ({@link MetricKeys})
 * @param label what a reader sees in the table
 * @param unit shown after the value ({@code ms}, {@code /s}, {@code MiB}), or empty
 * @param decimals how many decimals the table shows
 */
public record Metric(String key, String label, double value, String unit, int decimals) {

	public String formatted() {
		String number = String.format("%,." + this.decimals + "f", this.value);
		return this.unit.isEmpty() ? number : number + " " + this.unit;
	}

}
