package io.eventgateway.loadtest.report;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

class JsonReportWriterTests {

	@Test
	void everyFigureStandsUnderItsStableKey() {
		JsonNode json = JsonMapper.builder().build().readTree(JsonReportWriter.write(Reports.sample()));

		assertThat(json.path("scenario").asString()).isEqualTo("fanout");
		assertThat(json.path("parameters").path("connections").asString()).isEqualTo("100");
		assertThat(json.path("metrics").path("gaps").isIntegralNumber()).isTrue();
		assertThat(json.path("metrics").path("gaps").asLong()).isEqualTo(3);
		assertThat(json.path("metrics").path("rate").asDouble()).isEqualTo(1234.5);
		assertThat(json.path("latencyMs").path("delivery").path("count").asLong()).isEqualTo(100);
		assertThat(json.path("latencyMs").path("delivery").path("p99").asDouble()).isBetween(98.9, 99.1);
		assertThat(json.path("latencyMs").path("connect").path("max").asDouble()).isBetween(298.9, 299.1);
		assertThat(json.path("tables").get(0).path("title").asString()).isEqualTo("stages");
		assertThat(json.path("timeline")).hasSize(2);
		assertThat(json.path("timeline").get(1).path("serverRssKib").asLong()).isEqualTo(410_000);
		assertThat(json.path("checks").get(0).path("passed").asBoolean()).isTrue();
		assertThat(json.path("passed").asBoolean()).isTrue();
	}

}
