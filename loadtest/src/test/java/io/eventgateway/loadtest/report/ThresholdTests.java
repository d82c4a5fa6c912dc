package io.eventgateway.loadtest.report;

import java.util.List;

import io.eventgateway.loadtest.UsageException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ThresholdTests {

	private final RunReport report = Reports.sample();

	@Test
	void parsesMetricComparisonAndLimitInCanonicalUnits() {
		assertThat(Threshold.parse("p99<50ms")).isEqualTo(new Threshold("p99<50ms", "p99", Threshold.Comparison.LESS, 50));
		assertThat(Threshold.parse("p99 <= 0.5s").limit()).isEqualTo(500);
		assertThat(Threshold.parse("max<250us").limit()).isEqualTo(0.25);
		assertThat(Threshold.parse("p999<80").limit()).isEqualTo(80);
		assertThat(Threshold.parse("errors=0").comparison()).isEqualTo(Threshold.Comparison.EQUAL);
		assertThat(Threshold.parse("errors==0").comparison()).isEqualTo(Threshold.Comparison.EQUAL);
		assertThat(Threshold.parse("rate>=1000/s").comparison()).isEqualTo(Threshold.Comparison.GREATER_OR_EQUAL);
		assertThat(Threshold.parse("hit_ratio>90%").limit()).isEqualTo(0.9);
		assertThat(Threshold.parse("connect_p99<=200ms").metric()).isEqualTo("connect_p99");
		assertThat(Threshold.parse("P99<50MS").metric()).isEqualTo("p99");
	}

	@Test
	void refusesWhatItCannotJudge() {
		assertThatThrownBy(() -> Threshold.parse("p99<<50ms")).isInstanceOf(UsageException.class);
		assertThatThrownBy(() -> Threshold.parse("p99 50ms")).isInstanceOf(UsageException.class);
		assertThatThrownBy(() -> Threshold.parse("speed>3")).isInstanceOf(UsageException.class).hasMessageContaining("unknown metric");
		assertThatThrownBy(() -> Threshold.parse("typing_p99<3ms")).isInstanceOf(UsageException.class)
			.hasMessageContaining("unknown latency");
		assertThatThrownBy(() -> Threshold.parse("p99<3kg")).isInstanceOf(UsageException.class);
		assertThatThrownBy(() -> Threshold.parse("errors<3ms")).isInstanceOf(UsageException.class);
	}

	@Test
	void latencyThresholdsReadTheMainLatencyOrANamedOne() {
		assertThat(Threshold.parse("p99<100ms").evaluate(this.report).passed()).isTrue();
		assertThat(Threshold.parse("p99<50ms").evaluate(this.report)).satisfies(check -> {
			assertThat(check.passed()).isFalse();
			assertThat(check.detail()).isEqualTo("actual 99.01 ms");
		});
		assertThat(Threshold.parse("p50<=51ms").evaluate(this.report).passed()).isTrue();
		assertThat(Threshold.parse("p50<49ms").evaluate(this.report).passed()).isFalse();
		assertThat(Threshold.parse("max>=100ms").evaluate(this.report).passed()).isTrue();
		assertThat(Threshold.parse("connect_p99<0.3s").evaluate(this.report).passed()).isTrue();
		assertThat(Threshold.parse("connect_p50<200ms").evaluate(this.report).passed()).isFalse();
	}

	@Test
	void countThresholdsReadTheReportsFigures() {
		assertThat(Threshold.parse("errors=0").evaluate(this.report).passed()).isTrue();
		assertThat(Threshold.parse("gaps=0").evaluate(this.report)).satisfies(check -> {
			assertThat(check.passed()).isFalse();
			assertThat(check.detail()).isEqualTo("actual 3");
		});
		assertThat(Threshold.parse("rate>1000").evaluate(this.report).passed()).isTrue();
		assertThat(Threshold.parse("deliveries_per_s>2000").evaluate(this.report).passed()).isFalse();
		assertThat(Threshold.parse("hit_ratio>=95%").evaluate(this.report).passed()).isTrue();
	}

	@Test
	void aFigureTheScenarioDoesNotMeasureFails() {
		Check check = Threshold.parse("duplicates=0").evaluate(this.report);

		assertThat(check.passed()).isFalse();
		assertThat(check.detail()).contains("not measured");
		assertThat(Threshold.parse("ack_p99<5ms").evaluate(this.report).passed()).isFalse();
	}

	@Test
	void thresholdsJoinTheReportsVerdict() {
		assertThat(this.report.passed()).isTrue();
		assertThat(this.report.withChecks(List.of(Threshold.parse("gaps=0").evaluate(this.report))).passed()).isFalse();
	}

}
