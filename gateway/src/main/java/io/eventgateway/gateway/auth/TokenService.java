package io.eventgateway.gateway.auth;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Date;
import java.util.List;

import javax.crypto.SecretKey;

import io.eventgateway.core.auth.RoomPermissions;
import io.jsonwebtoken.Claims;
import io.jsonwebtoken.ExpiredJwtException;
import io.jsonwebtoken.JwtException;
import io.jsonwebtoken.JwtParser;
import io.jsonwebtoken.Jwts;
import io.jsonwebtoken.security.Keys;

/** Verifies HS256 bearer tokens (and issues them, for development and tests). */
public final class TokenService {

	private final SecretKey key;

	private final JwtParser parser;

	public TokenService(String secret) {
		this.key = Keys.hmacShaKeyFor(secret.getBytes(StandardCharsets.UTF_8));
		this.parser = Jwts.parser().verifyWith(this.key).build();
	}

	public ClientIdentity verify(String token) {
		if (token == null || token.isBlank()) {
			throw new InvalidTokenException("missing bearer token");
		}
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
