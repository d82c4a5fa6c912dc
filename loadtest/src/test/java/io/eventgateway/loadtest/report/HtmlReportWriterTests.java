package io.eventgateway.loadtest.report;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class HtmlReportWriterTests {

	private final String html = HtmlReportWriter.write(Reports.sample());

	@Test
	void isOnePageWithItsChartsInline() {
		assertThat(this.html).startsWith("<!DOCTYPE html>").endsWith("</html>\n");
		assertThat(this.html).contains("Latency by percentile").contains("Throughput over time").contains("Server memory over time");
		assertThat(this.html.split("<svg ", -1)).hasSizeGreaterThanOrEqualTo(5);
		assertThat(this.html).contains("<polyline");
	}

	@Test
	void needsNothingFromTheNetwork() {
		assertThat(this.html).doesNotContain("<script").doesNotContain("<link").doesNotContain("src=");
		assertThat(this.html.replace("xmlns=\"http://www.w3.org/2000/svg\"", "")).doesNotContain("http://").doesNotContain("https://");
	}

	@Test
	void escapesWhatItShows() {
		assertThat(this.html).contains("&lt;b&gt;&amp;&quot;").doesNotContain("<b>&\"").contains("&lt;13&gt;");
	}

	@Test
	void showsTheVerdictAndTheChecks() {
		assertThat(this.html).contains("fanout load test").contains("class=\"PASS\"").contains("every delivery made");
	}

}
