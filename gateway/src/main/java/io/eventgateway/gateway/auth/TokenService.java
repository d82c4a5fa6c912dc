package io.eventgateway.gateway.auth;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;

import javax.crypto.SecretKey;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.eventgateway.core.auth.ClientIdentity;
import io.eventgateway.core.auth.RoomPermissions;
import io.jsonwebtoken.Claims;
import io.jsonwebtoken.ExpiredJwtException;
import io.jsonwebtoken.JwtException;
import io.jsonwebtoken.JwtParser;
import io.jsonwebtoken.Jwts;
import io.jsonwebtoken.security.Keys;

/**
 * Verifies HS256 bearer tokens (and issues them, for development and tests). A verified token is
 * remembered until it expires (a bounded number of them): HTTP clients send the same token with
 * every request, and parsing it again cost a tenth of a cached read.
 */
public final class TokenService {

	private static final int REMEMBERED_TOKENS = 50_000;

	private final SecretKey key;

	private final JwtParser parser;

	private final Cache<String, ClientIdentity> verified = Caffeine.newBuilder()
		.maximumSize(REMEMBERED_TOKENS)
		.expireAfterWrite(Duration.ofMinutes(10))
		.build();

	public TokenService(String secret) {
		this.key = Keys.hmacShaKeyFor(secret.getBytes(StandardCharsets.UTF_8));
		this.parser = Jwts.parser().verifyWith(this.key).build();
	}

	public ClientIdentity verify(String token) {
		if (token == null || token.isBlank()) {
			throw new InvalidTokenException("missing bearer token");
		}
		ClientIdentity known = this.verified.getIfPresent(token);
		if (known != null) {
			if (known.isExpired(Instant.now())) {
				this.verified.invalidate(token);
				throw new InvalidTokenException("token expired");
			}
			return known;
		}
		ClientIdentity identity = parse(token);
		this.verified.put(token, identity);
		return identity;
	}

	private ClientIdentity parse(String token) {
		Claims claims;
		try {
			claims = this.parser.parseSignedClaims(token).getPayload();
		}
		catch (ExpiredJwtException ex) {
			throw new InvalidTokenException("token expired");
		}
		catch (JwtException | IllegalArgumentException ex) {
			throw new InvalidTokenException("invalid token: " + ex.getMessage());
		}
		if (claims.getSubject() == null || claims.getSubject().isBlank()) {
			throw new InvalidTokenException("token has no sub claim");
		}
		if (claims.getExpiration() == null) {
			throw new InvalidTokenException("token has no exp claim");
		}
		return new ClientIdentity(claims.getSubject(), RoomPermissions.of(rooms(claims)),
				claims.getExpiration().toInstant());
	}

	public String issue(String user, List<String> rooms, Instant expiresAt) {
		return Jwts.builder()
			.subject(user)
			.claim("rooms", rooms)
			.expiration(Date.from(expiresAt))
			.signWith(this.key, Jwts.SIG.HS256)
			.compact();
	}

	private static List<String> rooms(Claims claims) {
		Object rooms = claims.get("rooms");
		if (rooms == null) {
			return List.of();
		}
		if (!(rooms instanceof List<?> list) || !list.stream().allMatch(String.class::isInstance)) {
			throw new InvalidTokenException("rooms claim must be an array of strings");
		}
		return list.stream().map(String.class::cast).toList();
	}

}
