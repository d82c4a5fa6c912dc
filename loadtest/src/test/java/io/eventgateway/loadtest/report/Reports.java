package io.eventgateway.loadtest.report;

import java.util.List;

import io.eventgateway.loadtest.measure.Sample;
import org.HdrHistogram.Histogram;

/** A small report to write and judge in tests. */
final class Reports {

	private Reports() {
	}

	/** Deliveries of 1..100 ms (p50 50 ms, p99 99 ms), connect times of 200..299 ms, 3 gaps, no error. */
	static RunReport sample() {
		Histogram delivery = new Histogram(3);
		Histogram connect = new Histogram(3);
		for (int ms = 1; ms <= 100; ms++) {
			delivery.recordValue(ms * 1000L);
			connect.recordValue((199 + ms) * 1000L);
		}
		return RunReport.builder("fanout", "deliveries")
			.parameter("connections", 100)
			.parameter("note", "<b>&\"")
			.count(MetricKeys.ERRORS, "errors", 0)
			.count(MetricKeys.GAPS, "gaps", 3)
			.metric(MetricKeys.RATE, "deliveries per second", 1234.5, "/s", 0)
			.metric(MetricKeys.HIT_RATIO, "hit ratio", 0.95, "", 3)
			.latency(MetricKeys.DELIVERY, delivery)
			.latency(MetricKeys.CONNECT, connect)
			.table(new Table("stages", List.of("stage", "p99 ms"), List.of(List.of("1", "12.5"), List.of("2", "<13>"))))
			.timeline(List.of(new Sample(1, "warmup", 100, 900, 10, 20, 0, 50, 400_000),
					new Sample(2, "measure", 100, 1000, 11, 22, 0, 55, 410_000)))
			.check("every delivery made", true, "100 of 100")
			.build();
	}

}
