package io.eventgateway.gateway.metrics;

import io.eventgateway.gateway.testing.PromQlNames;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PromQlNamesTests {

	@Test
	void onlyTheSeriesAreNamedNotFunctionsGroupingsMatchersOrVariables() {
		assertThat(PromQlNames.of("histogram_quantile(0.99, sum by (le, kind) "
				+ "(rate(gateway_publish_ack_seconds_bucket{kind=\"durable\",instance=~\"$instance\"}[$__rate_interval])))"))
			.containsExactly("gateway_publish_ack_seconds_bucket");
		assertThat(PromQlNames.of("sum(rate(a_total[5m])) by (instance) / on (instance) group_left b > 1e3 and bool c offset 5m"))
			.containsExactly("a_total", "b", "c");
		assertThat(PromQlNames.of("up{job=\"event-gateway\"} == 0")).containsExactly("up");
	}

}
