package io.eventgateway.loadtest.client;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Date;
import java.util.List;

import javax.crypto.SecretKey;

import io.jsonwebtoken.Jwts;
import io.jsonwebtoken.security.Keys;

/** Mints the gateway's HS256 tokens from its secret (HS256 whatever the secret's length, as the contract says). */
public final class Tokens {

	private final SecretKey key;

	public Tokens(String secret) {
		this.key = Keys.hmacShaKeyFor(secret.getBytes(StandardCharsets.UTF_8));
	}

	public String issue(String user, List<String> rooms, Instant expiresAt) {
		return Jwts.builder().subject(user).claim("rooms", rooms).expiration(Date.from(expiresAt))
			.signWith(this.key, Jwts.SIG.HS256)
			.compact();
	}

}
