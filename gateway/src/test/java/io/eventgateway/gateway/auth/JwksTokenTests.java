package io.eventgateway.gateway.auth;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.eventgateway.core.auth.ClientIdentity;
import io.eventgateway.gateway.testing.TestIdentityProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * RS256 and ES256 tokens checked against the keys of a JWKS served over real HTTP: the same claim
 * rules as HS256, key rotation with a rate-limited refetch, and a failing identity provider.
 */
class JwksTokenTests {

	private static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");

	private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

	private static final RSAKey RSA = TestIdentityProvider.rsaKey("rsa-1");

	private static final ECKey EC = TestIdentityProvider.ecKey("ec-1");

	private static final String SECRET = "jwks-tests-secret-0123456789-0123456789";

	private final TestIdentityProvider provider = TestIdentityProvider.start(RSA, EC);

	private final MovableClock jwksClock = new MovableClock(NOW);

	private JwksKeys keys;

	@AfterEach
	void stop() {
		if (this.keys != null) {
			this.keys.close();
		}
		this.provider.close();
	}

	/** Keys refreshed hourly, and fetched again for an unknown kid at most once a minute of {@link #jwksClock}. */
	private TokenService tokens(TokenRules rules) {
		this.keys = new JwksKeys(this.provider.jwksUrl(), Duration.ofHours(1), Duration.ofMinutes(1), this.jwksClock);
		this.keys.start();
		return new TokenService(SECRET, this.keys, rules, CLOCK);
	}

	private static JWTClaimsSet.Builder claims(String subject) {
		return new JWTClaimsSet.Builder().subject(subject).issueTime(Date.from(NOW.minusSeconds(10)))
			.expirationTime(Date.from(NOW.plusSeconds(60)));
	}

	private static void refused(TokenService tokens, String token, String why) {
		assertThatThrownBy(() -> tokens.verify(token)).isInstanceOf(InvalidTokenException.class).hasMessageContaining(why);
	}

	@Test
	void rs256AndEs256TokensSignedByKeysOfTheSetAreAcceptedWithTheirClaims() {
		TokenService tokens = tokens(TokenRules.DEFAULT);
		String rs256 = TestIdentityProvider.sign(RSA, JWSAlgorithm.RS256,
				claims("alice").claim("rooms", List.of("team-*")).claim("subscribe", List.of("news")).build());
		ClientIdentity alice = tokens.verify(rs256);
		assertThat(alice.user()).isEqualTo("alice");
		assertThat(alice.expiresAt()).isEqualTo(NOW.plusSeconds(60));
		assertThat(alice.rooms().mayPublish("team-42")).isTrue();
		assertThat(alice.rooms().mayJoin("news")).isTrue();
		assertThat(alice.rooms().mayPublish("news")).isFalse();
		assertThat(alice.rooms().mayJoin("other")).isFalse();

		String es256 = TestIdentityProvider.sign(EC, JWSAlgorithm.ES256, claims("bob").claim("rooms", List.of("lobby")).build());
		ClientIdentity bob = tokens.verify(es256);
		assertThat(bob.user()).isEqualTo("bob");
		assertThat(bob.rooms().mayPublish("lobby")).isTrue();
		assertThat(bob.rooms().mayJoin("team-1")).isFalse();
	}

	@Test
	void hs256TokensAreStillCheckedWithTheSecretBesideTheJwks() {
		TokenService tokens = tokens(TokenRules.DEFAULT);
		assertThat(tokens.verify(tokens.issue("carol", List.of("team-1"), NOW.plusSeconds(60))).user()).isEqualTo("carol");
	}

	@Test
	void aSignatureThatDoesNotMatchIsRefused() {
		TokenService tokens = tokens(TokenRules.DEFAULT);
		RSAKey impostor = new RSAKey.Builder(TestIdentityProvider.rsaKey("other")).keyID("rsa-1").build();
		refused(tokens, TestIdentityProvider.sign(impostor, JWSAlgorithm.RS256, claims("mallory").build()), "signature does not match");
		ECKey ecImpostor = new ECKey.Builder(TestIdentityProvider.ecKey("other")).keyID("ec-1").build();
		refused(tokens, TestIdentityProvider.sign(ecImpostor, JWSAlgorithm.ES256, claims("mallory").build()), "signature does not match");

		String genuine = TestIdentityProvider.sign(RSA, JWSAlgorithm.RS256, claims("alice").claim("rooms", List.of("team-1")).build());
		String[] parts = genuine.split("\\.");
		String widened = TestIdentityProvider.sign(RSA, JWSAlgorithm.RS256, claims("alice").claim("rooms", List.of("*")).build());
		refused(tokens, parts[0] + "." + widened.split("\\.")[1] + "." + parts[2], "signature does not match");
	}

	@Test
	void otherAlgorithmsAndKeysOfAnotherKindAreRefused() throws JOSEException {
		TokenService tokens = tokens(TokenRules.DEFAULT);
		refused(tokens, TestIdentityProvider.sign(RSA, JWSAlgorithm.RS512, claims("a").build()), "only HS256, RS256 and ES256");
		refused(tokens, TestIdentityProvider.sign(RSA, JWSAlgorithm.PS256, claims("a").build()), "only HS256, RS256 and ES256");
		// The EC key named by an RS256 token: the kid is looked up among the RSA keys only.
		refused(tokens, TestIdentityProvider.sign(RSA, new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("ec-1").build(),
				claims("a").build()), "not among the gateway's RS256 keys");
		refused(tokens, TestIdentityProvider.sign(RSA, new JWSHeader.Builder(JWSAlgorithm.RS256).build(), claims("a").build()),
				"must name its key in kid");
		// The classic confusion: HS256 "signed" with the public key that anyone can read.
		SignedJWT confused = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID("rsa-1").build(), claims("a").build());
		confused.sign(new MACSigner(RSA.toPublicJWK().toJSONString().getBytes(StandardCharsets.UTF_8)));
		refused(tokens, confused.serialize(), "signature does not match");
	}

	@Test
	void theClaimRulesOfHs256ApplyToJwksTokens() {
		TokenService tokens = tokens(new TokenRules("https://id.example.com", "gateway", null, Duration.ofSeconds(30)));
		JWTClaimsSet.Builder valid = claims("alice").issuer("https://id.example.com").audience(List.of("other", "gateway"));
		assertThat(tokens.verify(TestIdentityProvider.sign(EC, JWSAlgorithm.ES256, valid.build())).user()).isEqualTo("alice");

		JWTClaimsSet withinSkew = new JWTClaimsSet.Builder(valid.build()).expirationTime(Date.from(NOW.minusSeconds(29))).build();
		assertThat(tokens.verify(TestIdentityProvider.sign(RSA, JWSAlgorithm.RS256, withinSkew)).user()).isEqualTo("alice");
		JWTClaimsSet expired = new JWTClaimsSet.Builder(valid.build()).expirationTime(Date.from(NOW.minusSeconds(31))).build();
		refused(tokens, TestIdentityProvider.sign(RSA, JWSAlgorithm.RS256, expired), "expired");
		JWTClaimsSet early = new JWTClaimsSet.Builder(valid.build()).notBeforeTime(Date.from(NOW.plusSeconds(31))).build();
		refused(tokens, TestIdentityProvider.sign(RSA, JWSAlgorithm.RS256, early), "not valid yet");
		JWTClaimsSet otherIssuer = new JWTClaimsSet.Builder(valid.build()).issuer("https://evil.example.com").build();
		refused(tokens, TestIdentityProvider.sign(EC, JWSAlgorithm.ES256, otherIssuer), "issuer");
		JWTClaimsSet otherAudience = new JWTClaimsSet.Builder(valid.build()).audience("billing").build();
		refused(tokens, TestIdentityProvider.sign(EC, JWSAlgorithm.ES256, otherAudience), "audience");
		JWTClaimsSet noExp = new JWTClaimsSet.Builder(valid.build()).expirationTime(null).build();
		refused(tokens, TestIdentityProvider.sign(EC, JWSAlgorithm.ES256, noExp), "exp");
	}

	@Test
	void aRotatedKeyIsFetchedForAtMostOnceAMinuteAndThenAccepted() {
		TokenService tokens = tokens(TokenRules.DEFAULT);
		assertThat(this.provider.requests()).isEqualTo(1);
		RSAKey next = TestIdentityProvider.rsaKey("rsa-2");
		this.provider.publish(RSA, next, EC);
		String rotated = TestIdentityProvider.sign(next, JWSAlgorithm.RS256, claims("alice").build());

		this.jwksClock.advance(Duration.ofSeconds(10));
		refused(tokens, rotated, "retry");
		refused(tokens, rotated, "retry");
		assertThat(this.provider.requests()).as("within a minute of the last fetch: not fetched again").isEqualTo(1);

		this.jwksClock.advance(Duration.ofSeconds(51));
		// On a non-blocking thread, where BlockHound fails any wait: the refetch starts without one.
		assertThatThrownBy(() -> onNonBlockingThread(() -> tokens.verify(rotated))).hasMessageContaining("retry");
		await().atMost(Duration.ofSeconds(10)).until(() -> this.keys.current().contains(JWSAlgorithm.RS256, "rsa-2"));
		assertThat(onNonBlockingThread(() -> tokens.verify(rotated)).user()).isEqualTo("alice");
		assertThat(this.provider.requests()).isEqualTo(2);

		String madeUp = TestIdentityProvider.sign(next, new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("made-up").build(),
				claims("a").build());
		for (int attempt = 0; attempt < 20; attempt++) {
			refused(tokens, madeUp, "retry");
		}
		assertThat(this.provider.requests()).as("unknown kids within the minute fetch nothing").isEqualTo(2);
	}

	@Test
	void aRemovedKeyIsRefusedOnceTheSetIsFetchedAgain() {
		TokenService tokens = tokens(TokenRules.DEFAULT);
		String es256 = TestIdentityProvider.sign(EC, JWSAlgorithm.ES256, claims("bob").build());
		assertThat(tokens.verify(es256).user()).isEqualTo("bob");
		this.provider.publish(RSA);
		assertThat(this.keys.fetch().block()).isTrue();
		refused(tokens, es256, "not among the gateway's ES256 keys");
	}

	@Test
	void theSetIsRefreshedInTheBackground() {
		this.keys = new JwksKeys(this.provider.jwksUrl(), Duration.ofMillis(100), Duration.ofHours(1), this.jwksClock);
		this.keys.start();
		this.provider.publish(TestIdentityProvider.ecKey("ec-2"));
		await().atMost(Duration.ofSeconds(10)).until(() -> this.keys.current().contains(JWSAlgorithm.ES256, "ec-2"));
		assertThat(this.keys.current().contains(JWSAlgorithm.ES256, "ec-1")).isFalse();
	}

	@Test
	void aFetchThatFailsKeepsTheKeysLoadedBefore() {
		TokenService tokens = tokens(TokenRules.DEFAULT);
		String rs256 = TestIdentityProvider.sign(RSA, JWSAlgorithm.RS256, claims("alice").build());
		this.provider.answerWith(500);
		assertThat(this.keys.fetch().block()).isFalse();
		assertThat(tokens.verify(rs256).user()).isEqualTo("alice");

		this.provider.answerWith(200);
		this.provider.publish();
		this.provider.close();
		assertThat(this.keys.fetch().block()).as("nobody listening").isFalse();
		assertThat(tokens.verify(rs256).user()).isEqualTo("alice");
	}

	@Test
	void aFailedFetchIsLoggedWithoutTheCredentialsAUrlMayHold() {
		Logger logger = (Logger) LoggerFactory.getLogger(JwksKeys.class);
		ListAppender<ILoggingEvent> lines = new ListAppender<>();
		lines.start();
		logger.addAppender(lines);
		try {
			this.provider.answerWith(500);
			String url = this.provider.jwksUrl().replace("http://", "http://reader:hunter2@") + "?api_key=s3cret";
			JwksKeys guarded = new JwksKeys(url, Duration.ofHours(1));
			assertThat(guarded.fetch().block()).isFalse();
			guarded.close();
		}
		finally {
			logger.detachAppender(lines);
		}
		assertThat(lines.list).singleElement().extracting(ILoggingEvent::getFormattedMessage)
			.asString()
			.contains("127.0.0.1", "jwks.json", "HTTP 500")
			.doesNotContain("hunter2", "reader", "s3cret", "api_key");
	}

	@Test
	void aDocumentThatIsNotAKeySetKeepsTheKeysLoadedBefore() {
		TokenService tokens = tokens(TokenRules.DEFAULT);
		String es256 = TestIdentityProvider.sign(EC, JWSAlgorithm.ES256, claims("bob").build());
		String huge = "{\"keys\":[],\"padding\":\"" + "x".repeat(2 * 1024 * 1024) + "\"}";
		for (String text : new String[] { "<html>sign in</html>", "{\"keys\":\"none\"}", "", huge }) {
			this.provider.serveText(text);
			assertThat(this.keys.fetch().block()).as(text.substring(0, Math.min(text.length(), 40))).isFalse();
			assertThat(tokens.verify(es256).user()).isEqualTo("bob");
		}
		JwksKeys elsewhere = new JwksKeys(this.provider.jwksUrl().replace(".well-known/jwks.json", "elsewhere"), Duration.ofHours(1));
		assertThat(elsewhere.fetch().block()).as("404").isFalse();
		elsewhere.close();
	}

	@Test
	void aGatewayStartsWhileItsIdentityProviderIsDownAndLoadsTheKeysLater() {
		this.provider.answerWith(503);
		TokenService tokens = tokens(TokenRules.DEFAULT);
		String rs256 = TestIdentityProvider.sign(RSA, JWSAlgorithm.RS256, claims("alice").build());
		refused(tokens, rs256, "retry");
		this.provider.answerWith(200);
		this.jwksClock.advance(Duration.ofMinutes(1));
		refused(tokens, rs256, "retry");
		await().atMost(Duration.ofSeconds(10)).until(() -> this.keys.current().size() == 2);
		assertThat(tokens.verify(rs256).user()).isEqualTo("alice");
	}

	@Test
	void aGatewayWithAJwksAndNoSecretRefusesHs256AndIssuesNothing() {
		this.keys = new JwksKeys(this.provider.jwksUrl(), Duration.ofHours(1));
		this.keys.start();
		TokenService tokens = new TokenService(null, this.keys, TokenRules.DEFAULT, CLOCK);
		String hs256 = new TokenService(SECRET, TokenRules.DEFAULT, CLOCK).issue("a", List.of(), NOW.plusSeconds(60));
		refused(tokens, hs256, "accepts no HS256 tokens");
		assertThat(tokens.verify(TestIdentityProvider.sign(EC, JWSAlgorithm.ES256, claims("bob").build())).user()).isEqualTo("bob");
		assertThatThrownBy(() -> tokens.issue("a", List.of(), NOW.plusSeconds(60))).isInstanceOf(IllegalStateException.class);
	}

	@Test
	void keysThatCannotCheckRs256OrEs256AreLeftOut() throws Exception {
		RSAKey encryption = new RSAKey.Builder(TestIdentityProvider.rsaKey("enc")).keyUse(KeyUse.ENCRYPTION).build();
		RSAKey ps256Only = new RSAKey.Builder(TestIdentityProvider.rsaKey("ps")).algorithm(JWSAlgorithm.PS256).build();
		ECKey p384 = new ECKeyGenerator(Curve.P_384).keyID("p384").generate();
		RSAKey noKid = new RSAKey.Builder(TestIdentityProvider.rsaKey("x")).keyID(null).build();
		RSAKey small = new RSAKeyGenerator(1024, true).keyID("small").generate();
		String document = new JWKSet(List.of(encryption, ps256Only, p384, noKid, small, RSA)).toString(true);
		SigningKeys parsed = SigningKeys.parse(document);
		assertThat(parsed.size()).isEqualTo(1);
		assertThat(parsed.contains(JWSAlgorithm.RS256, "rsa-1")).isTrue();
	}

	private static <T> T onNonBlockingThread(Callable<T> work) {
		return Mono.fromCallable(work).subscribeOn(Schedulers.parallel()).block();
	}

	/** A clock the test moves on, so that a minute between fetches takes no minute. */
	private static final class MovableClock extends Clock {

		private final AtomicReference<Instant> now;

		MovableClock(Instant start) {
			this.now = new AtomicReference<>(start);
		}

		void advance(Duration duration) {
			this.now.updateAndGet(instant -> instant.plus(duration));
		}

		@Override
		public Instant instant() {
			return this.now.get();
		}

		@Override
		public ZoneId getZone() {
			return ZoneOffset.UTC;
		}

		@Override
		public Clock withZone(ZoneId zone) {
			return this;
		}

	}

}
