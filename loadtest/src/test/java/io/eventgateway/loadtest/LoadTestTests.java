package io.eventgateway.loadtest;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Command lines that must be refused with exit code 2 before any traffic is sent. */
class LoadTestTests {

	private static final String SECRET = "test-secret-0123456789-0123456789-abcdef";

	@Test
	void noCommandOrAnUnknownOneIsAUsageError() throws Exception {
		assertThat(LoadTest.run(new String[0])).isEqualTo(LoadTest.USAGE);
		assertThat(LoadTest.run(new String[] { "flood" })).isEqualTo(LoadTest.USAGE);
	}

	@Test
	void aThresholdThatDoesNotParseIsAUsageError() throws Exception {
		assertThat(LoadTest.run(new String[] { "fanout", "--secret", SECRET, "--threshold", "p99<<50ms" })).isEqualTo(LoadTest.USAGE);
		assertThat(LoadTest.run(new String[] { "fanout", "--secret", SECRET, "--threshold", "speed>3" })).isEqualTo(LoadTest.USAGE);
	}

	@Test
	void aMisspeltOptionIsAUsageError() throws Exception {
		assertThat(LoadTest.run(new String[] { "connect", "--secret", SECRET, "--conections", "10" })).isEqualTo(LoadTest.USAGE);
	}

	@Test
	void targetsOffThisMachineAreRefused() throws Exception {
		assertThat(LoadTest.run(new String[] { "fanout", "--secret", SECRET, "--url", "ws://10.1.2.3:8080/ws" })).isEqualTo(LoadTest.USAGE);
	}

	@Test
	void clusterNeedsTwoGateways() throws Exception {
		assertThat(LoadTest.run(new String[] { "cluster", "--secret", SECRET })).isEqualTo(LoadTest.USAGE);
		assertThat(LoadTest.run(new String[] { "cluster", "--secret", SECRET, "--subscriber-urls", "ws://127.0.0.1:1/ws",
				"--publisher-urls", "ws://127.0.0.1:1/ws" })).isEqualTo(LoadTest.USAGE);
	}

	@Test
	void aShortSecretOrBadStagesAreUsageErrors() throws Exception {
		assertThat(LoadTest.run(new String[] { "ramp", "--secret", "short" })).isEqualTo(LoadTest.USAGE);
		assertThat(LoadTest.run(new String[] { "ramp", "--secret", SECRET, "--stages", "100" })).isEqualTo(LoadTest.USAGE);
		assertThat(LoadTest.run(new String[] { "http", "--secret", SECRET, "--cache", "sometimes" })).isEqualTo(LoadTest.USAGE);
	}

}
