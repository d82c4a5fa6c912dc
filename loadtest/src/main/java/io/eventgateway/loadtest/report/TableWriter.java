package io.eventgateway.loadtest.report;

import java.io.PrintStream;
import java.util.List;
import java.util.Map;

import org.HdrHistogram.Histogram;

/** The report as a plain-text table, for people at a terminal. */
public final class TableWriter {

	private static final String ROW = "%-48s %s%n";

	private TableWriter() {
	}

	public static void print(RunReport report, PrintStream out) {
		out.println();
		out.printf(ROW, "scenario", report.scenario());
		report.parameters().forEach((name, value) -> out.printf(ROW, name, value));
		out.println();
		for (Metric metric : report.metrics()) {
			out.printf(ROW, metric.label(), metric.formatted());
		}
		for (Map.Entry<String, Histogram> latency : report.latencies().entrySet()) {
			Histogram histogram = latency.getValue();
			out.printf(ROW, latency.getKey() + " latency p50 / p90 / p99 / p99.9 / max",
					histogram.getTotalCount() == 0 ? "none measured" : Millis.summary(histogram));
		}
		for (Table table : report.tables()) {
			out.println();
			out.println(table.title());
			printTable(table, out);
		}
		if (!report.checks().isEmpty()) {
			out.println();
			int width = report.checks().stream().mapToInt(check -> check.name().length()).max().orElse(0);
			for (Check check : report.checks()) {
				out.printf("%s  %-" + width + "s  %s%n", check.verdict(), check.name(), check.detail());
			}
		}
		out.printf(ROW, "verdict", report.passed() ? "PASS" : "FAIL");
	}

	private static void printTable(Table table, PrintStream out) {
		int[] widths = new int[table.columns().size()];
		for (int i = 0; i < widths.length; i++) {
			widths[i] = table.columns().get(i).length();
			for (List<String> row : table.rows()) {
				widths[i] = Math.max(widths[i], row.get(i).length());
			}
		}
		printRow(table.columns(), widths, out);
		for (List<String> row : table.rows()) {
			printRow(row, widths, out);
		}
	}

	private static void printRow(List<String> cells, int[] widths, PrintStream out) {
		StringBuilder line = new StringBuilder(" ");
		for (int i = 0; i < widths.length; i++) {
			line.append(' ').append(" ".repeat(widths[i] - cells.get(i).length())).append(cells.get(i));
		}
		out.println(line);
	}

}
