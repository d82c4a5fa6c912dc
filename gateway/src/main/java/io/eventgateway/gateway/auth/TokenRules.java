package io.eventgateway.gateway.auth;

import java.time.Duration;

/**
 * What a token must say beyond a valid signature and an unexpired {@code exp}.
 *
 * @param issuer the {@code iss} every token must carry, or {@code null} for any
 * @param audience a value the token's {@code aud} (a string or an array) must hold, or
 * {@code null} for any
 * @param maxLifetime the longest a token may be valid from when it was issued ({@code iat}, or
 * now when it has none), or {@code null} for no bound: a leaked token then cannot be a key for ever
 * @param clockSkew how far the issuer's clock may be from this server's, allowed on {@code exp},
 * {@code nbf} and {@code iat}
 */
public record TokenRules(String issuer, String audience, Duration maxLifetime, Duration clockSkew) {

	/** Any issuer and audience, no lifetime bound, 30 s of clock skew. */
	public static final TokenRules DEFAULT = new TokenRules(null, null, null, Duration.ofSeconds(30));

	public TokenRules {
		if (clockSkew == null || clockSkew.isNegative()) {
			throw new IllegalArgumentException("the clock skew must be zero or positive");
		}
		if (maxLifetime != null && (maxLifetime.isNegative() || maxLifetime.isZero())) {
			throw new IllegalArgumentException("the maximum token lifetime must be positive");
		}
	}

}
