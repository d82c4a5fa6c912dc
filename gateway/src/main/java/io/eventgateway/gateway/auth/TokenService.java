package io.eventgateway.gateway.auth;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.nimbusds.jose.JWSAlgorithm;
import io.eventgateway.core.auth.ClientIdentity;
import io.eventgateway.core.auth.RoomPermissions;
import io.eventgateway.core.event.Names;
import io.eventgateway.core.event.Utf8;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Verifies bearer tokens (compact JWS) and issues HS256 ones, for development and tests. A token
 * is signed either with the shared secret ({@code alg: HS256}, checked in constant time) or with
 * a key of the gateway's JWKS ({@code RS256}, {@code ES256}, found by {@code kid}); any other
 * {@code alg} is refused, so a token cannot choose a weaker or absent signature. The signature is
 * checked before any claim is read, and the claims of every kind of key go through the same rules.
 *
 * <p>Written on the JDK's HMAC rather than a general JOSE library: profiling a storm of 1,000
 * handshakes a second showed the library's token reader allocating about 430 KB per token, 90 % of
 * all the gateway allocated and the cause of its young collections. A verification here allocates
 * the decoded parts and their JSON trees only, so nothing needs to be remembered between requests.
 * RS256 and ES256 signatures alone go to the library's verifiers ({@link JwksKeys}).
 */
public final class TokenService {

	private static final String HEADER = "{\"alg\":\"HS256\",\"typ\":\"JWT\"}";

	private static final Set<String> ACCEPTED_ALGORITHMS = Set.of("HS256", "RS256", "ES256");

	private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

	private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();

	/** Longer tokens are refused unread: a bound on the work one header can ask for. */
	private static final int MAX_TOKEN_LENGTH = 8192;

	/** {@code null} when the gateway has no shared secret, only a JWKS. */
	private final SecretKeySpec key;

	private final ThreadLocal<Mac> macs;

	/** {@code null} without a JWKS URL. */
	private final JwksKeys jwks;

	private final ObjectMapper json = JsonMapper.builder().build();

	private final TokenRules rules;

	private final Clock clock;

	public TokenService(String secret) {
		this(secret, TokenRules.DEFAULT, Clock.systemUTC());
	}

	public TokenService(String secret, TokenRules rules, Clock clock) {
		this(secret, null, rules, clock);
	}

	/**
	 * @param secret the HS256 secret, or {@code null} to accept no HS256 token
	 * @param jwks the keys RS256 and ES256 tokens are checked with, or {@code null} to accept none
	 */
	public TokenService(String secret, JwksKeys jwks, TokenRules rules, Clock clock) {
		if (secret == null && jwks == null) {
			throw new IllegalArgumentException("tokens need a secret or a JWKS to be checked with");
		}
		if (secret != null && secret.getBytes(StandardCharsets.UTF_8).length < 32) {
			throw new IllegalArgumentException("an HS256 secret needs at least 32 bytes");
		}
		this.key = (secret != null) ? new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256") : null;
		this.macs = ThreadLocal.withInitial(this::newMac);
		this.jwks = jwks;
		this.rules = rules;
		this.clock = clock;
		// Jackson builds its tree reader on first use, under a lock: not on the event loops.
		this.json.readTree("{}");
	}

	public ClientIdentity verify(String token) {
		if (token == null || token.isBlank()) {
			throw new InvalidTokenException("missing bearer token");
		}
		if (token.length() > MAX_TOKEN_LENGTH) {
			throw new InvalidTokenException("invalid token: longer than " + MAX_TOKEN_LENGTH + " characters");
		}
		int firstDot = token.indexOf('.');
		int secondDot = (firstDot < 0) ? -1 : token.indexOf('.', firstDot + 1);
		if (secondDot < 0 || token.indexOf('.', secondDot + 1) >= 0) {
			throw new InvalidTokenException("invalid token: a JWT has three parts separated by dots");
		}
		JsonNode header = object(decode(token.substring(0, firstDot)), "header");
		JsonNode alg = header.get("alg");
		if (alg == null || !alg.isString() || !ACCEPTED_ALGORITHMS.contains(alg.stringValue())) {
			throw new InvalidTokenException("invalid token: only HS256, RS256 and ES256 tokens are accepted");
		}
		if (header.has("crit")) {
			throw new InvalidTokenException("invalid token: critical header parameters are not supported");
		}
		String signingInput = token.substring(0, secondDot);
		byte[] signature = decode(token.substring(secondDot + 1));
		if ("HS256".equals(alg.stringValue())) {
			requireSecretSignature(signingInput, signature);
		}
		else {
			requireJwksSignature(JWSAlgorithm.parse(alg.stringValue()), header, signingInput, signature);
		}
		return identity(object(decode(token.substring(firstDot + 1, secondDot)), "payload"));
	}

	private void requireSecretSignature(String signingInput, byte[] signature) {
		if (this.key == null) {
			throw new InvalidTokenException("invalid token: this gateway accepts no HS256 tokens (it has no shared secret)");
		}
		if (!MessageDigest.isEqual(sign(signingInput), signature)) {
			throw new InvalidTokenException("invalid token: signature does not match");
		}
	}

	private void requireJwksSignature(JWSAlgorithm algorithm, JsonNode header, String signingInput, byte[] signature) {
		if (this.jwks == null) {
			throw new InvalidTokenException("invalid token: this gateway accepts no " + algorithm.getName()
					+ " tokens (it has no JWKS URL configured)");
		}
		JsonNode kid = header.get("kid");
		if (kid == null || !kid.isString() || kid.stringValue().isEmpty()) {
			throw new InvalidTokenException("invalid token: an " + algorithm.getName() + " token must name its key in kid");
		}
		this.jwks.verify(algorithm, kid.stringValue(), signingInput, signature);
	}

	private ClientIdentity identity(JsonNode claims) {
		JsonNode subject = claims.get("sub");
		if (subject == null || !subject.isString() || subject.stringValue().isBlank()) {
			throw new InvalidTokenException("token has no sub claim");
		}
		if (!Utf8.isEncodable(subject.stringValue())) {
			throw new InvalidTokenException("token's sub is not Unicode text (it holds a lone surrogate)");
		}
		if (subject.stringValue().length() > Names.MAX_USER_LENGTH) {
			throw new InvalidTokenException("token's sub is longer than " + Names.MAX_USER_LENGTH + " characters");
		}
		Instant now = this.clock.instant();
		Duration skew = this.rules.clockSkew();
		Instant expiresAt = instant(claims, "exp");
		if (expiresAt == null) {
			throw new InvalidTokenException("token has no exp claim");
		}
		if (!now.isBefore(expiresAt.plus(skew))) {
			throw new InvalidTokenException("token expired");
		}
		Instant notBefore = instant(claims, "nbf");
		if (notBefore != null && now.plus(skew).isBefore(notBefore)) {
			throw new InvalidTokenException("token not valid yet");
		}
		Instant issuedAt = instant(claims, "iat");
		if (issuedAt != null && now.plus(skew).isBefore(issuedAt)) {
			throw new InvalidTokenException("token issued in the future");
		}
		Duration maxLifetime = this.rules.maxLifetime();
		if (maxLifetime != null) {
			Instant from = (issuedAt != null) ? issuedAt : now;
			if (Duration.between(from, expiresAt).compareTo(maxLifetime.plus(skew)) > 0) {
				throw new InvalidTokenException("token valid for longer than the " + maxLifetime.toSeconds()
						+ " s this gateway allows");
			}
		}
		requireIssuer(claims);
		requireAudience(claims);
		return new ClientIdentity(subject.stringValue(), RoomPermissions.of(patterns(claims, "rooms"), patterns(claims, "subscribe")), expiresAt, skew);
	}

	private void requireIssuer(JsonNode claims) {
		if (this.rules.issuer() == null) {
			return;
		}
		JsonNode issuer = claims.get("iss");
		if (issuer == null || !issuer.isString() || !this.rules.issuer().equals(issuer.stringValue())) {
			throw new InvalidTokenException("token not issued by the issuer this gateway requires");
		}
	}

	private void requireAudience(JsonNode claims) {
		String required = this.rules.audience();
		if (required == null) {
			return;
		}
		JsonNode audience = claims.get("aud");
		boolean held = false;
		if (audience != null && audience.isString()) {
			held = required.equals(audience.stringValue());
		}
		else if (audience != null && audience.isArray()) {
			for (JsonNode value : audience) {
				held |= value.isString() && required.equals(value.stringValue());
			}
		}
		if (!held) {
			throw new InvalidTokenException("token not meant for the audience this gateway requires");
		}
	}

	private static Instant instant(JsonNode claims, String name) {
		JsonNode value = claims.get(name);
		if (value == null || value.isNull()) {
			return null;
		}
		if (!value.isNumber() || !value.canConvertToLong()) {
			throw new InvalidTokenException("invalid token: " + name + " must be a number of seconds");
		}
		try {
			return Instant.ofEpochSecond(value.asLong());
		}
		catch (DateTimeException ex) {
			throw new InvalidTokenException("invalid token: " + name + " is out of range");
		}
	}

	private static List<String> patterns(JsonNode claims, String claim) {
		JsonNode rooms = claims.get(claim);
		if (rooms == null || rooms.isNull()) {
			return List.of();
		}
		if (!rooms.isArray()) {
			throw new InvalidTokenException(claim + " claim must be an array of strings");
		}
		List<String> names = new ArrayList<>(rooms.size());
		for (JsonNode room : rooms) {
			if (!room.isString()) {
				throw new InvalidTokenException(claim + " claim must be an array of strings");
			}
			names.add(room.stringValue());
		}
		return names;
	}

	public String issue(String user, List<String> rooms, Instant expiresAt) {
		return issue(user, rooms, List.of(), expiresAt);
	}

	/** @param subscribe rooms the token may join but not publish to */
	public String issue(String user, List<String> rooms, List<String> subscribe, Instant expiresAt) {
		if (this.key == null) {
			throw new IllegalStateException("no shared secret to sign tokens with");
		}
		ObjectNode claims = this.json.createObjectNode().put("sub", user)
			.put("iat", this.clock.instant().getEpochSecond()).put("exp", expiresAt.getEpochSecond());
		if (this.rules.issuer() != null) {
			claims.put("iss", this.rules.issuer());
		}
		if (this.rules.audience() != null) {
			claims.put("aud", this.rules.audience());
		}
		claims.putArray("rooms").addAll(rooms.stream().map(this.json.getNodeFactory()::stringNode).toList());
		if (!subscribe.isEmpty()) {
			claims.putArray("subscribe").addAll(subscribe.stream().map(this.json.getNodeFactory()::stringNode).toList());
		}
		String signed = encode(HEADER.getBytes(StandardCharsets.UTF_8)) + "." + encode(this.json.writeValueAsBytes(claims));
		return signed + "." + encode(sign(signed));
	}

	private JsonNode object(byte[] part, String name) {
		JsonNode node;
		try {
			node = this.json.readTree(part);
		}
		catch (JacksonException ex) {
			throw new InvalidTokenException("invalid token: its " + name + " is not JSON");
		}
		if (node == null || !node.isObject()) {
			throw new InvalidTokenException("invalid token: its " + name + " is not a JSON object");
		}
		return node;
	}

	private static byte[] decode(String part) {
		try {
			return DECODER.decode(part);
		}
		catch (IllegalArgumentException ex) {
			throw new InvalidTokenException("invalid token: not base64url");
		}
	}

	private static String encode(byte[] bytes) {
		return ENCODER.encodeToString(bytes);
	}

	private byte[] sign(String signingInput) {
		return this.macs.get().doFinal(signingInput.getBytes(StandardCharsets.US_ASCII));
	}

	private Mac newMac() {
		try {
			Mac mac = Mac.getInstance("HmacSHA256");
			mac.init(this.key);
			return mac;
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("HmacSHA256 is not available", ex);
		}
	}

}
