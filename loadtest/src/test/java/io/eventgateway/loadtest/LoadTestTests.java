package io.eventgateway.loadtest;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import io.jsonwebtoken.Claims;
import io.jsonwebtoken.Jws;
import io.jsonwebtoken.Jwts;
import io.jsonwebtoken.security.Keys;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Command lines that must be refused with exit code 2 before any traffic is sent, and the token command. */
class LoadTestTests {

	private static final String SECRET = "test-secret-0123456789-0123456789-abcdef";

	private final ByteArrayOutputStream out = new ByteArrayOutputStream();

	private final ByteArrayOutputStream err = new ByteArrayOutputStream();

	private int run(String... args) throws Exception {
		return runWith(Map.of(), args);
	}

	private int runWith(Map<String, String> environment, String... args) throws Exception {
		return LoadTest.run(args, environment, new PrintStream(this.out, true, StandardCharsets.UTF_8),
				new PrintStream(this.err, true, StandardCharsets.UTF_8));
	}

	private String errorOutput() {
		return this.err.toString(StandardCharsets.UTF_8);
	}

	@Test
	void noCommandOrAnUnknownOneIsAUsageError() throws Exception {
		assertThat(run()).isEqualTo(LoadTest.USAGE);
		assertThat(run("flood")).isEqualTo(LoadTest.USAGE);
		assertThat(errorOutput()).contains("usage: fanout|");
	}

	@Test
	void eachCommandHasItsOwnHelp() throws Exception {
		assertThat(run("recovery", "--help")).isEqualTo(LoadTest.PASSED);
		assertThat(this.out.toString(StandardCharsets.UTF_8)).contains("--drop-interval=DURATION", "--histogram-log=FILE")
			.doesNotContain("--watch-dir");
	}

	@Test
	void aPercentSignInAHelpTextIsPrintedAsWritten() throws Exception {
		ByteArrayOutputStream warnings = new ByteArrayOutputStream();
		PrintStream standardError = System.err;
		System.setErr(new PrintStream(warnings, true, StandardCharsets.UTF_8));
		try {
			assertThat(run("chaos", "--help")).isEqualTo(LoadTest.PASSED);
		}
		finally {
			System.setErr(standardError);
		}
		assertThat(this.out.toString(StandardCharsets.UTF_8)).contains("10 % of clients stop reading");
		assertThat(warnings.toString(StandardCharsets.UTF_8)).as("picocli's warning of a format it could not apply").isEmpty();
	}

	@Test
	void optionsMayBeGivenAsNameEqualsValue() throws Exception {
		assertThat(runWith(Map.of(Options.SECRET_VARIABLE, SECRET), "token", "--sub=alice", "--rooms=lobby")).isEqualTo(LoadTest.PASSED);
		assertThat(this.out.toString(StandardCharsets.UTF_8).trim()).matches("[\\w-]+\\.[\\w-]+\\.[\\w-]+");
		assertThat(run("fanout", "--secret=" + SECRET, "--ids=yes")).as("typed by the scenario as before").isEqualTo(LoadTest.USAGE);
	}

	@Test
	void anOptionOfAnotherScenarioIsAUsageError() throws Exception {
		assertThat(run("http", "--secret", SECRET, "--drop-interval", "3s")).isEqualTo(LoadTest.USAGE);
		assertThat(errorOutput()).isEqualTo("http: unknown option(s) for this command: --drop-interval" + System.lineSeparator());
	}

	@Test
	void aThresholdThatDoesNotParseIsAUsageError() throws Exception {
		assertThat(run("fanout", "--secret", SECRET, "--threshold", "p99<<50ms")).isEqualTo(LoadTest.USAGE);
		assertThat(run("fanout", "--secret", SECRET, "--threshold", "speed>3")).isEqualTo(LoadTest.USAGE);
		assertThat(run("fanout", "--secret", SECRET, "--ids", "yes")).as("--ids takes true or false").isEqualTo(LoadTest.USAGE);
	}

	@Test
	void aMisspeltOptionIsAUsageError() throws Exception {
		assertThat(run("connect", "--secret", SECRET, "--conections", "10")).isEqualTo(LoadTest.USAGE);
		assertThat(errorOutput()).isEqualTo("connect: unknown option(s) for this command: --conections" + System.lineSeparator());
	}

	@Test
	void targetsOffThisMachineAreRefused() throws Exception {
		assertThat(run("fanout", "--secret", SECRET, "--url", "ws://10.1.2.3:8080/ws")).isEqualTo(LoadTest.USAGE);
	}

	@Test
	void clusterNeedsTwoGateways() throws Exception {
		assertThat(run("cluster", "--secret", SECRET)).isEqualTo(LoadTest.USAGE);
		assertThat(run("cluster", "--secret", SECRET, "--subscriber-urls", "ws://127.0.0.1:1/ws", "--publisher-urls",
				"ws://127.0.0.1:1/ws")).isEqualTo(LoadTest.USAGE);
	}

	@Test
	void aShortSecretOrBadStagesAreUsageErrors() throws Exception {
		assertThat(run("ramp", "--secret", "short")).isEqualTo(LoadTest.USAGE);
		assertThat(run("ramp", "--secret", SECRET, "--stages", "100")).isEqualTo(LoadTest.USAGE);
		assertThat(run("http", "--secret", SECRET, "--cache", "sometimes")).isEqualTo(LoadTest.USAGE);
	}

	@Test
	void tokenTakesTheGatewaysSecretFromTheEnvironmentWhenNoFlagIsGiven() throws Exception {
		assertThat(runWith(Map.of(Options.SECRET_VARIABLE, SECRET), "token", "--sub", "alice", "--rooms", "team-*,lobby"))
			.isEqualTo(LoadTest.PASSED);

		Jws<Claims> token = Jwts.parser()
			.verifyWith(Keys.hmacShaKeyFor(SECRET.getBytes(StandardCharsets.UTF_8)))
			.build()
			.parseSignedClaims(this.out.toString(StandardCharsets.UTF_8).trim());
		assertThat(token.getHeader().getAlgorithm()).isEqualTo("HS256");
		Claims claims = token.getPayload();
		assertThat(claims.getSubject()).isEqualTo("alice");
		assertThat(claims.get("rooms", List.class)).containsExactly("team-*", "lobby");
	}

	@Test
	void aShortSecretIsOneLineWithoutAStackTrace() throws Exception {
		assertThat(run("token", "--sub", "alice", "--secret", "short")).isEqualTo(LoadTest.USAGE);
		assertThat(errorOutput()).isEqualTo("token: --secret is 5 bytes; an HS256 secret needs at least 32 (openssl rand -hex 32 makes one)"
				+ System.lineSeparator());
		assertThat(this.out.size()).isZero();
	}

	@Test
	void noSecretAnywhereNamesTheVariableToExport() throws Exception {
		assertThat(runWith(Map.of(Options.SECRET_VARIABLE, ""), "token", "--sub", "alice", "--secret", "")).isEqualTo(LoadTest.USAGE);
		assertThat(errorOutput()).hasLineCount(1).contains("export GATEWAY_AUTH_JWT_SECRET");
	}

}
