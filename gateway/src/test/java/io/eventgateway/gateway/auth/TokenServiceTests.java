package io.eventgateway.gateway.auth;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Date;
import java.util.List;

import javax.crypto.SecretKey;

import io.eventgateway.core.auth.ClientIdentity;
import io.jsonwebtoken.Jwts;
import io.jsonwebtoken.security.Keys;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Bearer tokens: what is accepted, what is refused and why, and that tokens travel both ways with jjwt. */
class TokenServiceTests {

	private static final String SECRET = "token-tests-secret-0123456789-0123456789";

	private static final SecretKey KEY = Keys.hmacShaKeyFor(SECRET.getBytes(StandardCharsets.UTF_8));

	private static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");

	private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

	private final TokenService tokens = new TokenService(SECRET, TokenRules.DEFAULT, CLOCK);

	private static String jjwt(String subject, Instant expiresAt, Object rooms) {
		return Jwts.builder().subject(subject).claim("rooms", rooms).expiration(Date.from(expiresAt))
			.signWith(KEY, Jwts.SIG.HS256).compact();
	}

	private static String part(String json) {
		return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
	}

	private void refused(String token, String why) {
		assertThatThrownBy(() -> this.tokens.verify(token)).isInstanceOf(InvalidTokenException.class).hasMessageContaining(why);
	}

	@Test
	void aTokenFromAnotherLibraryIsAcceptedWithItsClaims() {
		ClientIdentity identity = this.tokens.verify(jjwt("alice", NOW.plusSeconds(60), List.of("team-*", "lobby")));
		assertThat(identity.user()).isEqualTo("alice");
		assertThat(identity.expiresAt()).isEqualTo(NOW.plusSeconds(60));
		assertThat(identity.rooms().mayPublish("team-42")).isTrue();
		assertThat(identity.rooms().mayPublish("lobby")).isTrue();
		assertThat(identity.rooms().mayJoin("other")).isFalse();
	}

	@Test
	void theSubscribeClaimGrantsReadOnlyRooms() {
		String token = Jwts.builder().subject("viewer").claim("rooms", List.of("team-7")).claim("subscribe", List.of("news", "team-*"))
			.expiration(Date.from(NOW.plusSeconds(60))).signWith(KEY, Jwts.SIG.HS256).compact();
		ClientIdentity identity = this.tokens.verify(token);
		assertThat(identity.rooms().mayJoin("news")).isTrue();
		assertThat(identity.rooms().mayPublish("news")).isFalse();
		assertThat(identity.rooms().mayJoin("team-8")).isTrue();
		assertThat(identity.rooms().mayPublish("team-8")).isFalse();
		assertThat(identity.rooms().mayPublish("team-7")).as("rooms keeps publishing").isTrue();
		assertThat(identity.rooms().mayJoin("ops")).isFalse();
		refused(Jwts.builder().subject("a").claim("subscribe", "news").expiration(Date.from(NOW.plusSeconds(60)))
			.signWith(KEY, Jwts.SIG.HS256).compact(), "subscribe claim");
	}

	@Test
	void aTokenIssuedHereIsAcceptedByAnotherLibrary() {
		String token = this.tokens.issue("bob", List.of("team-7"), NOW.plusSeconds(3600));
		var claims = Jwts.parser().verifyWith(KEY).clock(() -> Date.from(NOW)).build().parseSignedClaims(token).getPayload();
		assertThat(claims.getSubject()).isEqualTo("bob");
		assertThat(claims.get("rooms")).isEqualTo(List.of("team-7"));
		assertThat(this.tokens.verify(token).user()).isEqualTo("bob");
	}

	@Test
	void expiredAndNotYetValidTokensAreRefusedBeyondTheClockSkew() {
		assertThat(this.tokens.verify(jjwt("a", NOW.minusSeconds(29), List.of())).user()).isEqualTo("a");
		refused(jjwt("a", NOW.minusSeconds(30), List.of()), "expired");
		refused(jjwt("a", NOW.minusSeconds(3600), List.of()), "expired");
		assertThat(this.tokens.verify(notBefore(NOW.plusSeconds(30))).user()).isEqualTo("a");
		refused(notBefore(NOW.plusSeconds(31)), "not valid yet");
		TokenService strict = new TokenService(SECRET, new TokenRules(null, null, null, Duration.ZERO), CLOCK);
		assertThatThrownBy(() -> strict.verify(jjwt("a", NOW, List.of()))).hasMessageContaining("expired");
		assertThatThrownBy(() -> strict.verify(notBefore(NOW.plusSeconds(1)))).hasMessageContaining("not valid yet");
	}

	private static String notBefore(Instant notBefore) {
		return Jwts.builder().subject("a").expiration(Date.from(NOW.plusSeconds(600))).notBefore(Date.from(notBefore))
			.signWith(KEY, Jwts.SIG.HS256).compact();
	}

	@Test
	void aRequiredIssuerAndAudienceMustBeInTheToken() {
		TokenService service = new TokenService(SECRET, new TokenRules("https://id.example.com", "gateway", null,
				Duration.ofSeconds(30)), CLOCK);
		String good = Jwts.builder().subject("a").issuer("https://id.example.com").audience().add("other").add("gateway")
			.and().expiration(Date.from(NOW.plusSeconds(60))).signWith(KEY, Jwts.SIG.HS256).compact();
		assertThat(service.verify(good).user()).isEqualTo("a");
		String singleAudience = Jwts.builder().subject("a").issuer("https://id.example.com").audience().single("gateway")
			.expiration(Date.from(NOW.plusSeconds(60))).signWith(KEY, Jwts.SIG.HS256).compact();
		assertThat(service.verify(singleAudience).user()).isEqualTo("a");
		assertThatThrownBy(() -> service.verify(jjwt("a", NOW.plusSeconds(60), List.of()))).hasMessageContaining("issuer");
		String otherIssuer = Jwts.builder().subject("a").issuer("https://evil.example.com").audience().single("gateway")
			.expiration(Date.from(NOW.plusSeconds(60))).signWith(KEY, Jwts.SIG.HS256).compact();
		assertThatThrownBy(() -> service.verify(otherIssuer)).hasMessageContaining("issuer");
		String otherAudience = Jwts.builder().subject("a").issuer("https://id.example.com").audience().single("billing")
			.expiration(Date.from(NOW.plusSeconds(60))).signWith(KEY, Jwts.SIG.HS256).compact();
		assertThatThrownBy(() -> service.verify(otherAudience)).hasMessageContaining("audience");
		assertThat(service.verify(service.issue("dev", List.of("*"), NOW.plusSeconds(60))).user())
			.as("tokens issued here carry the required claims").isEqualTo("dev");
	}

	@Test
	void aTokenValidForLongerThanTheMaximumLifetimeIsRefused() {
		TokenService service = new TokenService(SECRET, new TokenRules(null, null, Duration.ofHours(1), Duration.ofSeconds(30)),
				CLOCK);
		String hourFromIssue = Jwts.builder().subject("a").issuedAt(Date.from(NOW.minusSeconds(600)))
			.expiration(Date.from(NOW.plusSeconds(3000))).signWith(KEY, Jwts.SIG.HS256).compact();
		assertThat(service.verify(hourFromIssue).user()).isEqualTo("a");
		String dayFromIssue = Jwts.builder().subject("a").issuedAt(Date.from(NOW.minusSeconds(600)))
			.expiration(Date.from(NOW.plusSeconds(86_400))).signWith(KEY, Jwts.SIG.HS256).compact();
		assertThatThrownBy(() -> service.verify(dayFromIssue)).hasMessageContaining("longer than the 3600 s");
		assertThatThrownBy(() -> service.verify(jjwt("a", NOW.plusSeconds(86_400), List.of())))
			.as("without iat, the lifetime counts from now").hasMessageContaining("longer than");
		String issuedLater = Jwts.builder().subject("a").issuedAt(Date.from(NOW.plusSeconds(120)))
			.expiration(Date.from(NOW.plusSeconds(600))).signWith(KEY, Jwts.SIG.HS256).compact();
		assertThatThrownBy(() -> service.verify(issuedLater)).hasMessageContaining("issued in the future");
	}

	@Test
	void rulesThatCannotHoldAreRefused() {
		assertThatThrownBy(() -> new TokenRules(null, null, null, Duration.ofSeconds(-1)))
			.isInstanceOf(IllegalArgumentException.class);
		assertThatThrownBy(() -> new TokenRules(null, null, Duration.ZERO, Duration.ZERO))
			.isInstanceOf(IllegalArgumentException.class);
	}

	@Test
	void aSignatureThatDoesNotMatchIsRefusedWhateverTheClaimsSay() {
		String token = jjwt("alice", NOW.plusSeconds(60), List.of("team-1"));
		String[] parts = token.split("\\.");
		String tampered = parts[0] + "." + part("{\"sub\":\"alice\",\"exp\":9999999999,\"rooms\":[\"*\"]}") + "." + parts[2];
		refused(tampered, "signature");
		String otherKey = Jwts.builder().subject("a").expiration(Date.from(NOW.plusSeconds(60)))
			.signWith(Keys.hmacShaKeyFor("another-secret-0123456789-0123456789-xyz".getBytes(StandardCharsets.UTF_8)), Jwts.SIG.HS256)
			.compact();
		refused(otherKey, "signature");
	}

	@Test
	void onlyHs256IsAcceptedSoATokenCannotChooseNoSignature() {
		String claims = part("{\"sub\":\"a\",\"exp\":" + NOW.plusSeconds(60).getEpochSecond() + "}");
		refused(part("{\"alg\":\"none\"}") + "." + claims + ".", "HS256");
		refused(part("{\"alg\":\"HS512\"}") + "." + claims + ".c2ln", "HS256");
		refused(part("{\"alg\":\"HS256\",\"crit\":[\"x\"]}") + "." + claims + ".c2ln", "critical");
		String hs512 = Jwts.builder().subject("a").expiration(Date.from(NOW.plusSeconds(60)))
			.signWith(Keys.hmacShaKeyFor(("x".repeat(64)).getBytes(StandardCharsets.UTF_8)), Jwts.SIG.HS512).compact();
		refused(hs512, "HS256");
	}

	@Test
	void rs256AndEs256TokensAreRefusedWithAClearReasonWithoutAJwks() {
		String claims = part("{\"sub\":\"a\",\"exp\":" + NOW.plusSeconds(60).getEpochSecond() + "}");
		refused(part("{\"alg\":\"RS256\",\"kid\":\"k\"}") + "." + claims + ".c2ln",
				"accepts no RS256 tokens (it has no JWKS URL configured)");
		refused(part("{\"alg\":\"ES256\",\"kid\":\"k\"}") + "." + claims + ".c2ln",
				"accepts no ES256 tokens (it has no JWKS URL configured)");
	}

	@Test
	void malformedTokensAndMissingClaimsAreRefusedWithAReason() {
		refused(null, "missing");
		refused(" ", "missing");
		refused("not.a.jwt", "not");
		refused("one-part", "three parts");
		refused("a.b.c.d", "three parts");
		refused(part("[1]") + ".e30.c2ln", "JSON object");
		refused("x".repeat(9000), "longer");
		refused(this.tokens.issue("", List.of(), NOW.plusSeconds(60)), "sub");
		refused(jjwt("a", NOW.plusSeconds(60), "team-*"), "rooms claim");
		String noExp = Jwts.builder().subject("a").signWith(KEY, Jwts.SIG.HS256).compact();
		refused(noExp, "exp");
	}

	@Test
	void aSubThatIsNotUnicodeTextIsRefused() throws Exception {
		refused(signedBySubject("eve\\ud800"), "not Unicode text");
		refused(signedBySubject("\\ude00eve"), "not Unicode text");
		assertThat(this.tokens.verify(signedBySubject("eve\\ud83d\\ude00")).user()).isEqualTo("eve\ud83d\ude00");
	}

	/** A token whose sub is written as given, JSON escapes included, as another issuer may write it. */
	private static String signedBySubject(String subjectJson) throws Exception {
		String signingInput = part("{\"alg\":\"HS256\",\"typ\":\"JWT\"}") + "."
				+ part("{\"sub\":\"" + subjectJson + "\",\"rooms\":[\"*\"],\"exp\":" + NOW.plusSeconds(60).getEpochSecond() + "}");
		javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
		mac.init(KEY);
		return signingInput + "." + Base64.getUrlEncoder().withoutPadding()
			.encodeToString(mac.doFinal(signingInput.getBytes(StandardCharsets.US_ASCII)));
	}

	@Test
	void aShortSecretIsRefusedAtOnce() {
		assertThatThrownBy(() -> new TokenService("short")).isInstanceOf(IllegalArgumentException.class)
			.hasMessageContaining("32 bytes");
	}

}
