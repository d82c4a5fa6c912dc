package io.eventgateway.loadtest;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class OptionsTests {

	@Test
	void repeatedNamesKeepEveryValueInOrderAndASingleReadTakesTheLast() {
		Options options = Options.parse("--threshold", "p99<50ms", "--rate", "10", "--threshold", "errors=0", "--rate", "20");

		assertThat(options.all("threshold")).containsExactly("p99<50ms", "errors=0");
		assertThat(options.integer("rate", 1)).isEqualTo(20);
		assertThat(options.all("missing")).isEmpty();
	}

	@Test
	void typedReadsFallBackToTheirDefaults() {
		Options options = Options.parse("--connections", "1_000", "--hold", "250ms");

		assertThat(options.integer("connections", 5)).isEqualTo(1000);
		assertThat(options.integer("rooms", 10)).isEqualTo(10);
		assertThat(options.duration("hold", Duration.ZERO)).isEqualTo(Duration.ofMillis(250));
		assertThat(options.duration("warmup", Duration.ofSeconds(5))).isEqualTo(Duration.ofSeconds(5));
		assertThat(options.text("url", "ws://127.0.0.1:8080/ws")).isEqualTo("ws://127.0.0.1:8080/ws");
	}

	@Test
	void durationsReadTheirUnits() {
		assertThat(Options.parseDuration("30s", "x")).isEqualTo(Duration.ofSeconds(30));
		assertThat(Options.parseDuration("2m", "x")).isEqualTo(Duration.ofMinutes(2));
		assertThat(Options.parseDuration("1h", "x")).isEqualTo(Duration.ofHours(1));
		assertThat(Options.parseDuration("500ms", "x")).isEqualTo(Duration.ofMillis(500));
		assertThat(Options.durationText(Duration.ofMillis(500))).isEqualTo("500ms");
		assertThat(Options.durationText(Duration.ofSeconds(10))).isEqualTo("10s");
	}

	@Test
	void badInputIsAUsageError() {
		assertThatThrownBy(() -> Options.parse("rate", "10")).isInstanceOf(UsageException.class);
		assertThatThrownBy(() -> Options.parse("--rate")).isInstanceOf(UsageException.class).hasMessageContaining("needs a value");
		assertThatThrownBy(() -> Options.parse("--rate", "ten").integer("rate", 1)).isInstanceOf(UsageException.class);
		assertThatThrownBy(() -> Options.parse("--rate", "0").integer("rate", 1, 1)).isInstanceOf(UsageException.class)
			.hasMessageContaining("at least 1");
		assertThatThrownBy(() -> Options.parse("--hold", "10x").duration("hold", Duration.ZERO)).isInstanceOf(UsageException.class);
		assertThatThrownBy(() -> Options.parse("--hold", "s").duration("hold", Duration.ZERO)).isInstanceOf(UsageException.class);
		assertThatThrownBy(() -> Options.parse().required("secret")).isInstanceOf(UsageException.class)
			.hasMessageContaining("--secret");
	}

	@Test
	void theSecretComesFromTheFlagOrElseFromTheGatewaysVariable() {
		String flag = "from-the-flag-0123456789-0123456789";
		String variable = "from-the-environment-0123456789-0123456789";
		Map<String, String> environment = Map.of(Options.SECRET_VARIABLE, variable);

		assertThat(Options.parse(environment, "--secret", flag).secret()).isEqualTo(flag);
		assertThat(Options.parse(environment).secret()).isEqualTo(variable);
		assertThatThrownBy(() -> Options.parse(Map.of(Options.SECRET_VARIABLE, "short")).secret())
			.isInstanceOf(UsageException.class)
			.hasMessageStartingWith("GATEWAY_AUTH_JWT_SECRET is 5 bytes");
		assertThatThrownBy(() -> Options.parse(Map.of()).secret()).isInstanceOf(UsageException.class)
			.hasMessageContaining("--secret")
			.hasMessageContaining(Options.SECRET_VARIABLE);
	}

	@Test
	void optionsNoOneReadAreRefused() {
		Options options = Options.parse("--rate", "10", "--rooms", "3", "--conections", "5");
		options.integer("rate", 1);
		options.integer("rooms", 1);

		assertThatThrownBy(options::rejectUnread).isInstanceOf(UsageException.class).hasMessageContaining("--conections");
	}

}
