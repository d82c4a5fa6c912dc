package io.eventgateway.loadtest.report;

import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SvgLineChartTests {

	@Test
	void gridStepsAreRoundNumbers() {
		assertThat(SvgLineChart.niceStep(100)).isEqualTo(20);
		assertThat(SvgLineChart.niceStep(7)).isEqualTo(2);
		assertThat(SvgLineChart.niceStep(0.9)).isEqualTo(0.2, Offset.offset(1e-12));
		assertThat(SvgLineChart.niceStep(2400)).isEqualTo(500);
	}

	@Test
	void drawsOneLinePerSeriesWithItsLegend() {
		String svg = new SvgLineChart("t", "x", "y").series("a", new double[] { 0, 1 }, new double[] { 1, 2 })
			.series("b", new double[] { 0, 1 }, new double[] { 3, 4 })
			.render();

		assertThat(svg.split("<polyline", -1)).hasSize(3);
		assertThat(svg).contains(">a</text>").contains(">b</text>").startsWith("<svg");
	}

}
