package io.eventgateway.loadtest.report;

import java.util.LinkedHashMap;
import java.util.Map;

import io.eventgateway.loadtest.measure.Sample;
import org.HdrHistogram.Histogram;
import tools.jackson.databind.json.JsonMapper;

/** The report as JSON, for machines: every figure under its stable key. */
public final class JsonReportWriter {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private JsonReportWriter() {
	}

	public static String write(RunReport report) {
		Map<String, Object> root = new LinkedHashMap<>();
		root.put("scenario", report.scenario());
		root.put("operation", report.operation());
		root.put("parameters", report.parameters());
		Map<String, Object> metrics = new LinkedHashMap<>();
		report.metrics().forEach(metric -> metrics.put(metric.key(), metric.value() == Math.rint(metric.value())
				? (Object) (long) metric.value() : metric.value()));
		root.put("metrics", metrics);
		Map<String, Object> latencies = new LinkedHashMap<>();
		report.latencies().forEach((stream, histogram) -> latencies.put(stream, percentiles(histogram)));
		root.put("latencyMs", latencies);
		root.put("tables", report.tables());
		root.put("timeline", report.timeline().stream().map(JsonReportWriter::sample).toList());
		root.put("checks", report.checks());
		root.put("passed", report.passed());
		return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root) + "\n";
	}

	private static Map<String, Object> percentiles(Histogram histogram) {
		Map<String, Object> values = new LinkedHashMap<>();
		values.put("count", histogram.getTotalCount());
		for (int i = 0; i < Millis.PERCENTILES.length; i++) {
			values.put(Millis.NAMES[i], Millis.at(histogram, Millis.PERCENTILES[i]));
		}
		values.put("max", Millis.max(histogram));
		values.put("mean", histogram.getMean() / 1000.0);
		return values;
	}

	private static Map<String, Object> sample(Sample sample) {
		Map<String, Object> values = new LinkedHashMap<>();
		values.put("seconds", round(sample.seconds()));
		values.put("phase", sample.phase());
		values.put("connections", sample.connections());
		values.put("perSecond", round(sample.perSecond()));
		values.put("p50Ms", round(sample.p50Ms()));
		values.put("p99Ms", round(sample.p99Ms()));
		values.put("errors", sample.errors());
		if (sample.serverRssKib() >= 0) {
			values.put("serverCpuPercent", round(sample.serverCpuPercent()));
			values.put("serverRssKib", sample.serverRssKib());
		}
		return values;
	}

	private static double round(double value) {
		return Math.round(value * 1000) / 1000.0;
	}

}
