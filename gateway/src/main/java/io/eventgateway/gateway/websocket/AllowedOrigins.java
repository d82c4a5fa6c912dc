package io.eventgateway.gateway.websocket;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The browser origins whose pages may open a connection: a page of another site could otherwise use
 * a token it got hold of from the user's browser. Clients that are not browsers send no
 * {@code Origin} and are not affected.
 */
public final class AllowedOrigins {

	private final Set<String> origins;

	/** @param origins {@code scheme://host[:port]} each; empty allows every origin */
	public AllowedOrigins(List<String> origins) {
		this.origins = origins.stream().map(AllowedOrigins::normalized).collect(Collectors.toUnmodifiableSet());
	}

	/** Whether a handshake with this {@code Origin} header (or none) may connect. */
	public boolean allows(String origin) {
		return this.origins.isEmpty() || origin == null || this.origins.contains(normalized(origin));
	}

	private static String normalized(String origin) {
		String trimmed = origin.trim().toLowerCase(Locale.ROOT);
		return trimmed.endsWith("/") ? trimmed.substring(0, trimmed.length() - 1) : trimmed;
	}

}
