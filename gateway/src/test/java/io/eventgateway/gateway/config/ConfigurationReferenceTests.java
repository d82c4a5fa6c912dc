package io.eventgateway.gateway.config;

import java.io.IOException;
import java.nio.file.Files;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.core.env.SystemEnvironmentPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * {@code docs/CONFIGURATION.md} says what the build's configuration metadata says. With
 * {@code -Dconfiguration.reference.write=true} the test writes it instead of comparing.
 */
class ConfigurationReferenceTests {

	@Test
	void theReferenceIsInStepWithTheProperties() throws IOException {
		String expected = ConfigurationReference.render(ConfigurationReference.METADATA);
		if (Boolean.getBoolean(ConfigurationReference.WRITE_PROPERTY)) {
			ConfigurationReference.write(expected, ConfigurationReference.DOCUMENT);
			return;
		}
		String actual = Files.exists(ConfigurationReference.DOCUMENT) ? Files.readString(ConfigurationReference.DOCUMENT) : "";
		if (!actual.equals(expected)) {
			fail("docs/CONFIGURATION.md is out of step with GatewayProperties (" + firstDifference(expected, actual)
					+ "); regenerate it with: " + ConfigurationReference.REGENERATE);
		}
	}

	@Test
	void javadocMarkupBecomesMarkdown() {
		assertThat(ConfigurationReference.markdown("answered {@code too_large}<p>beyond &lt;this&gt;"))
			.isEqualTo("answered `too_large` beyond <this>");
		assertThat(ConfigurationReference.markdown("see {@link GatewayProperties#configuredSecret} or {@link Duration the duration}"))
			.isEqualTo("see `GatewayProperties.configuredSecret` or the duration");
		assertThat(ConfigurationReference.markdown("see {@link #auth}")).isEqualTo("see `auth`");
	}

	@Test
	void theEnvironmentVariableOfEveryPropertyBindsIt() {
		assertThat(ConfigurationReference.environmentVariable("gateway.auth.jwt-secret")).isEqualTo("GATEWAY_AUTH_JWT_SECRET");
		for (String name : ConfigurationReference.propertyNames(ConfigurationReference.METADATA)) {
			String variable = ConfigurationReference.environmentVariable(name);
			Binder binder = new Binder(ConfigurationPropertySources
				.from(new SystemEnvironmentPropertySource("environment", Map.of(variable, "set"))));
			assertThat(binder.bind(name, String.class).orElse(null)).as(variable).isEqualTo("set");
		}
	}

	private static String firstDifference(String expected, String actual) {
		String[] want = expected.split("\n", -1);
		String[] have = actual.split("\n", -1);
		for (int line = 0; line < Math.max(want.length, have.length); line++) {
			String wanted = line < want.length ? want[line] : "";
			String had = line < have.length ? have[line] : "";
			if (!wanted.equals(had)) {
				return "line " + (line + 1) + ": expected \"" + wanted + "\", found \"" + had + "\"";
			}
		}
		return "they differ";
	}

}
