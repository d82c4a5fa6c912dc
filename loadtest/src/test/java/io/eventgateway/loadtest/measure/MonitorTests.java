package io.eventgateway.loadtest.measure;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.HdrHistogram.EncodableHistogram;
import org.HdrHistogram.HistogramLogReader;
import org.HdrHistogram.HistogramLogWriter;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class MonitorTests {

	private final ByteArrayOutputStream progress = new ByteArrayOutputStream();

	private final Monitor monitor = new Monitor("deliveries", new ServerStats(List.of()),
			new PrintStream(this.progress, true, StandardCharsets.UTF_8), "delivery", "ack");

	@Test
	void theIntervalLogHoldsEachSecondOfEachStreamTaggedWithItsName() {
		ByteArrayOutputStream log = new ByteArrayOutputStream();
		this.monitor.intervalLog(new HistogramLogWriter(new PrintStream(log, true, StandardCharsets.UTF_8)));
		this.monitor.latency("delivery").recordValue(2_000);
		this.monitor.latency("ack").recordValue(7_000);
		this.monitor.tick("measure", 1);
		this.monitor.latency("delivery").recordValue(3_000);
		this.monitor.tick("measure", 1);
		this.monitor.tick("measure", 1);

		HistogramLogReader reader = new HistogramLogReader(new ByteArrayInputStream(log.toByteArray()));
		List<String> tagsAndMaxima = new java.util.ArrayList<>();
		for (EncodableHistogram interval = reader.nextIntervalHistogram(); interval != null; interval = reader.nextIntervalHistogram()) {
			tagsAndMaxima.add(interval.getTag() + "=" + Math.round(interval.getMaxValueAsDouble() / 1000));
		}
		assertThat(tagsAndMaxima).as("empty seconds are left out").containsExactly("delivery=2", "ack=7", "delivery=3");
	}

	@Test
	void aWindowSeesOnlyWhatHappenedWhileItWasOpen() {
		this.monitor.latency("delivery").recordValue(90_000);
		this.monitor.operation();
		this.monitor.error();
		Monitor.Window window = this.monitor.openWindow("measure");
		this.monitor.latency("delivery").recordValue(2_000);
		this.monitor.latency("delivery").recordValue(4_000);
		this.monitor.latency("ack").recordValue(1_000);
		this.monitor.operation();
		this.monitor.operation();
		WindowResult result = this.monitor.close(window);

		assertThat(result.operations()).isEqualTo(2);
		assertThat(result.errors()).isZero();
		assertThat(result.latency("delivery").getTotalCount()).isEqualTo(2);
		assertThat(result.latency("delivery").getMaxValue()).isLessThan(5_000);
		assertThat(result.latency("ack").getTotalCount()).isEqualTo(1);
		assertThat(result.serverCpuSeconds()).isEqualTo(-1);
		assertThat(result.rssPeakKib()).isEqualTo(-1);
	}

	@Test
	void aTickAddsASampleAndPrintsAProgressLine() {
		this.monitor.latency("delivery").recordValue(10_000);
		this.monitor.operation();
		Sample sample = this.monitor.tick("warmup", 42);

		assertThat(sample.phase()).isEqualTo("warmup");
		assertThat(sample.connections()).isEqualTo(42);
		assertThat(sample.p50Ms()).isBetween(9.9, 10.1);
		assertThat(sample.serverRssKib()).isEqualTo(-1);
		assertThat(this.monitor.timeline()).containsExactly(sample);
		assertThat(this.progress.toString(StandardCharsets.UTF_8)).contains("warmup").contains("conns").contains("deliveries")
			.doesNotContain("server");
	}

	@Test
	void theServerIsReadFromProc() {
		ServerStats self = ServerStats.self();

		assertThat(self.rssKib()).isPositive();
		assertThat(self.cpuSeconds()).isNotNegative();
	}

}
