package io.eventgateway.gateway.testing;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import io.eventgateway.gateway.auth.TokenService;

/** Tokens signed with the secret the test gateways are configured with. */
public final class TestTokens {

	public static final String SECRET = "test-secret-0123456789-0123456789-abcdef";

	public static final String SECRET_PROPERTY = "gateway.auth.jwt-secret=" + SECRET;

	private static final TokenService TOKENS = new TokenService(SECRET);

	private TestTokens() {
	}

	public static String forRooms(String user, String... rooms) {
		return TOKENS.issue(user, List.of(rooms), Instant.now().plus(Duration.ofHours(1)));
	}

	/** A token that may join and publish to {@code rooms} and only join {@code readOnly}. */
	public static String withReadOnly(String user, List<String> rooms, List<String> readOnly) {
		return TOKENS.issue(user, rooms, readOnly, Instant.now().plus(Duration.ofHours(1)));
	}

	public static String expiringIn(Duration lifetime, String user, String... rooms) {
		return TOKENS.issue(user, List.of(rooms), Instant.now().plus(lifetime));
	}

	public static String signedWith(String otherSecret, String user, String... rooms) {
		return new TokenService(otherSecret).issue(user, List.of(rooms), Instant.now().plus(Duration.ofHours(1)));
	}

}
