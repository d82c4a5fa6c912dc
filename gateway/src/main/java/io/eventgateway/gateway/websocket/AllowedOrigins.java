package io.eventgateway.gateway.websocket;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The browser origins whose pages may open a connection: a page of another site could otherwise use
 * a token it got hold of from the user's browser. Pages of the gateway's own origin always may;
 * others only when listed ({@code *} lists every origin). Clients that are not browsers send no
 * {@code Origin} and are not affected.
 */
public final class AllowedOrigins {

	private final Set<String> origins;

	private final boolean anyOrigin;

	/** @param origins {@code scheme://host[:port]} each, or {@code *}; empty allows the same origin only */
	public AllowedOrigins(List<String> origins) {
		this.origins = origins.stream().map(AllowedOrigins::normalized).collect(Collectors.toUnmodifiableSet());
		this.anyOrigin = this.origins.contains("*");
	}

	/**
	 * Whether a handshake with this {@code Origin} header (or none) may connect.
	 *
	 * @param host the request's {@code Host} header: a page whose origin names it is of the same origin
	 */
	public boolean allows(String origin, String host) {
		if (origin == null || this.anyOrigin) {
			return true;
		}
		String normalized = normalized(origin);
		return this.origins.contains(normalized) || (host != null && isSameOrigin(normalized, host));
	}

	private static boolean isSameOrigin(String origin, String host) {
		int scheme = origin.indexOf("://");
		if (scheme < 0) {
			// "null" (a sandboxed page or a file) names no host.
			return false;
		}
		return withoutDefaultPort(origin.substring(scheme + 3)).equals(withoutDefaultPort(host.trim().toLowerCase(Locale.ROOT)));
	}

	private static String withoutDefaultPort(String authority) {
		if (authority.endsWith(":80")) {
			return authority.substring(0, authority.length() - 3);
		}
		return authority.endsWith(":443") ? authority.substring(0, authority.length() - 4) : authority;
	}

	private static String normalized(String origin) {
		String trimmed = origin.trim().toLowerCase(Locale.ROOT);
		return trimmed.endsWith("/") ? trimmed.substring(0, trimmed.length() - 1) : trimmed;
	}

}
