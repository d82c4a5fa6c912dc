package io.eventgateway.loadtest.report;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

import io.eventgateway.loadtest.measure.Sample;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramIterationValue;

/** The report as one self-contained HTML page: tables and inline SVG charts, no script, no network. */
public final class HtmlReportWriter {

	/** Percentile axis positions: x = log10(1 / (1 - p)), as HdrHistogram's plots do. */
	private static final double[] PERCENTILE_TICKS = { 0, 1, 2, 3, 4, 5 };

	private static final String[] PERCENTILE_LABELS = { "0%", "90%", "99%", "99.9%", "99.99%", "99.999%" };

	private static final String STYLE = "body{font-family:sans-serif;margin:24px;color:#222;max-width:820px}"
			+ "table{border-collapse:collapse;margin:8px 0 20px}td,th{border:1px solid #ccc;padding:3px 10px;text-align:left}"
			+ "td.n{text-align:right}.PASS{color:#1a7f37;font-weight:bold}.FAIL{color:#c62828;font-weight:bold}"
			+ "svg{display:block;margin:8px 0 20px;border:1px solid #eee}";

	private HtmlReportWriter() {
	}

	public static String write(RunReport report) {
		StringBuilder html = new StringBuilder();
		html.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>")
			.append(escape(report.scenario())).append(" load test</title><style>").append(STYLE).append("</style></head><body>\n");
		html.append("<h1>").append(escape(report.scenario())).append(" load test: <span class=\"").append(verdict(report))
			.append("\">").append(verdict(report)).append("</span></h1>\n");

		html.append("<h2>Parameters</h2>\n<table>\n");
		report.parameters().forEach((name, value) -> row(html, name, value));
		html.append("</table>\n<h2>Results</h2>\n<table>\n");
		report.metrics().forEach(metric -> row(html, metric.label(), metric.formatted()));
		report.latencies().forEach((stream, histogram) -> row(html, stream + " latency p50 / p90 / p99 / p99.9 / max",
				histogram.getTotalCount() == 0 ? "none measured" : Millis.summary(histogram)));
		html.append("</table>\n");

		if (!report.checks().isEmpty()) {
			html.append("<h2>Checks</h2>\n<table>\n");
			for (Check check : report.checks()) {
				html.append("<tr><td class=\"").append(check.verdict()).append("\">").append(check.verdict()).append("</td><td>")
					.append(escape(check.name())).append("</td><td>").append(escape(check.detail())).append("</td></tr>\n");
			}
			html.append("</table>\n");
		}

		html.append("<h2>Charts</h2>\n");
		chart(html, percentileChart(report.latencies()));
		List<Sample> timeline = report.timeline();
		chart(html, timeChart("Throughput over time", report.operation() + " per second", timeline,
				new String[] { report.operation() + "/s" }, Sample::perSecond));
		chart(html, timeChart("Latency over time", "ms", timeline, new String[] { "p50", "p99" }, Sample::p50Ms, Sample::p99Ms));
		List<Sample> server = timeline.stream().filter(sample -> sample.serverRssKib() >= 0).toList();
		chart(html, timeChart("Server memory over time", "RSS MiB", server, new String[] { "RSS" }, s -> s.serverRssKib() / 1024.0));
		chart(html, timeChart("Server CPU over time", "% of one core", server, new String[] { "CPU" }, Sample::serverCpuPercent));

		for (Table table : report.tables()) {
			html.append("<h2>").append(escape(table.title())).append("</h2>\n<table>\n<tr>");
			table.columns().forEach(column -> html.append("<th>").append(escape(column)).append("</th>"));
			html.append("</tr>\n");
			for (List<String> cells : table.rows()) {
				html.append("<tr>");
				cells.forEach(cell -> html.append("<td class=\"n\">").append(escape(cell)).append("</td>"));
				html.append("</tr>\n");
			}
			html.append("</table>\n");
		}
		return html.append("</body></html>\n").toString();
	}

	private static SvgLineChart percentileChart(Map<String, Histogram> latencies) {
		SvgLineChart chart = new SvgLineChart("Latency by percentile", "percentile", "latency ms");
		long most = latencies.values().stream().mapToLong(Histogram::getTotalCount).max().orElse(0);
		// As far right as the data reaches: 99.99% of 1,000 values says nothing more than their max.
		int ticks = (int) Math.max(3, Math.min(PERCENTILE_TICKS.length, Math.ceil(Math.log10(Math.max(1, most))) + 1));
		chart.xTicks(Arrays.copyOf(PERCENTILE_TICKS, ticks), Arrays.copyOf(PERCENTILE_LABELS, ticks));
		latencies.forEach((stream, histogram) -> {
			if (histogram.getTotalCount() == 0) {
				return;
			}
			List<double[]> points = new ArrayList<>();
			for (HistogramIterationValue value : histogram.percentiles(5)) {
				double level = value.getPercentileLevelIteratedTo();
				if (level >= 100) {
					break;
				}
				points.add(new double[] { Math.log10(100 / (100 - level)), value.getValueIteratedTo() / 1000.0 });
			}
			points.add(new double[] { Math.log10(Math.max(10, histogram.getTotalCount())), Millis.max(histogram) });
			chart.series(stream, points.stream().mapToDouble(p -> p[0]).toArray(), points.stream().mapToDouble(p -> p[1]).toArray());
		});
		return chart;
	}

	@SafeVarargs
	private static SvgLineChart timeChart(String title, String yLabel, List<Sample> samples, String[] names,
			ToDoubleFunction<Sample>... values) {
		SvgLineChart chart = new SvgLineChart(title, "seconds", yLabel);
		double[] x = samples.stream().mapToDouble(Sample::seconds).toArray();
		for (int i = 0; i < values.length; i++) {
			chart.series(names[i], x, samples.stream().mapToDouble(values[i]).toArray());
		}
		return chart;
	}

	private static void chart(StringBuilder html, SvgLineChart chart) {
		if (!chart.isEmpty()) {
			html.append(chart.render());
		}
	}

	private static void row(StringBuilder html, String name, String value) {
		html.append("<tr><td>").append(escape(name)).append("</td><td class=\"n\">").append(escape(value)).append("</td></tr>\n");
	}

	private static String verdict(RunReport report) {
		return report.passed() ? "PASS" : "FAIL";
	}

	private static String escape(String text) {
		return SvgLineChart.escape(text);
	}

}
