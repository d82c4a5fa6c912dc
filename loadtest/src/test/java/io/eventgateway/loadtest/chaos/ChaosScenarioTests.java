package io.eventgateway.loadtest.chaos;

import java.util.Map;

import io.eventgateway.loadtest.Options;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The short variant of every chaos scenario, on gateways, a Redis and a database of its own
 * (needs the gateway jar, built before this module in the reactor, {@code redis-server} on the
 * PATH and PostgreSQL at 127.0.0.1:5432 with trust auth). A broken invariant fails the test
 * with the checker's findings; the seed is fixed so a failure replays.
 */
class ChaosScenarioTests {

	@ParameterizedTest
	@EnumSource(Fault.class)
	void theShortVariantKeepsEveryInvariant(Fault fault) throws Exception {
		Options options = Options.of(Map.of("seed", java.util.List.of("20261203")), Map.of());
		ChaosScenario scenario = new ChaosScenario(ChaosSettings.from(fault, options), System.err);
		scenario.run();
		ChaosOutcome outcome = scenario.outcome();

		assertThat(outcome.result().passed()).as("%s\nhistory: %s\nreplay: %s", outcome.result(), outcome.historyFile(),
				outcome.settings().replayCommand()).isTrue();
		assertThat(outcome.passed()).as("slow-consumer closes %d, live heap peak %d MiB", outcome.slowConsumerCloses(),
				outcome.resources().peakLiveBytes() >> 20).isTrue();
		assertThat(outcome.result().acknowledged()).as("traffic went on").isPositive();
	}

}
