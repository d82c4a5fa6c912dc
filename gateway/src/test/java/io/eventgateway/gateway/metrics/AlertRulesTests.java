package io.eventgateway.gateway.metrics;

import java.nio.file.Path;

import io.eventgateway.gateway.testing.PrometheusPrograms;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The alert rules in deploy/prometheus are valid, pass their own tests, and the scrape config loads them. */
class AlertRulesTests {

	static final Path PROMETHEUS_DEPLOY = Path.of("../deploy/prometheus").toAbsolutePath().normalize();

	@Test
	void theRulesAreValid() throws Exception {
		assertSucceeds(PrometheusPrograms.promtool(PROMETHEUS_DEPLOY, "", "check", "rules", "alert-rules.yml"));
	}

	@Test
	void eachAlertFiresOnItsConditionAndNotBesideIt() throws Exception {
		assertSucceeds(PrometheusPrograms.promtool(PROMETHEUS_DEPLOY, "", "test", "rules", "alert-rules.test.yml"));
	}

	@Test
	void theScrapeConfigIsValidAndLoadsTheRules() throws Exception {
		PrometheusPrograms.Outcome check = PrometheusPrograms.promtool(PROMETHEUS_DEPLOY, "", "check", "config", "prometheus.yml");
		assertSucceeds(check);
		assertThat(check.output()).contains("1 rule files found");
	}

	private static void assertSucceeds(PrometheusPrograms.Outcome outcome) {
		assertThat(outcome.exitCode()).as(outcome.output()).isZero();
		assertThat(outcome.output()).contains("SUCCESS");
	}

}
