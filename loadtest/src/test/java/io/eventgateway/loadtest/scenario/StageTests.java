package io.eventgateway.loadtest.scenario;

import java.time.Duration;

import io.eventgateway.loadtest.UsageException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StageTests {

	@Test
	void parsesTargetsAndDurations() {
		assertThat(Stage.parseAll("100:10s,500:10s, 1000:20s,0:500ms")).containsExactly(new Stage(100, Duration.ofSeconds(10)),
				new Stage(500, Duration.ofSeconds(10)), new Stage(1000, Duration.ofSeconds(20)), new Stage(0, Duration.ofMillis(500)));
	}

	@Test
	void rampsLinearlyFromTheCountBefore() {
		Stage stage = new Stage(500, Duration.ofSeconds(10));

		assertThat(stage.countAt(100, Duration.ZERO)).isEqualTo(100);
		assertThat(stage.countAt(100, Duration.ofSeconds(5))).isEqualTo(300);
		assertThat(stage.countAt(100, Duration.ofSeconds(10))).isEqualTo(500);
		assertThat(stage.countAt(100, Duration.ofSeconds(30))).isEqualTo(500);
		assertThat(new Stage(0, Duration.ofSeconds(4)).countAt(1000, Duration.ofSeconds(1))).isEqualTo(750);
	}

	@Test
	void readsBackAsWritten() {
		assertThat(new Stage(500, Duration.ofSeconds(10))).hasToString("500:10s");
		assertThat(new Stage(0, Duration.ofMillis(1500))).hasToString("0:1500ms");
	}

	@Test
	void badStagesAreUsageErrors() {
		assertThatThrownBy(() -> Stage.parseAll("100")).isInstanceOf(UsageException.class);
		assertThatThrownBy(() -> Stage.parseAll("x:10s")).isInstanceOf(UsageException.class);
		assertThatThrownBy(() -> Stage.parseAll("-1:10s")).isInstanceOf(UsageException.class);
		assertThatThrownBy(() -> Stage.parseAll("100:0s")).isInstanceOf(UsageException.class);
		assertThatThrownBy(() -> Stage.parseAll("100:10")).isInstanceOf(UsageException.class);
		assertThatThrownBy(() -> Stage.parseAll("100:10s,,")).isInstanceOf(UsageException.class);
	}

}
