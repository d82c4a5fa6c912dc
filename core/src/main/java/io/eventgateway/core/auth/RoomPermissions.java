package io.eventgateway.core.auth;

import java.util.List;

/**
 * The rooms a token allows, from its {@code rooms} claim. An entry ending in {@code *} is a prefix:
 * {@code team-*} allows {@code team-42}; a lone {@code *} allows every room.
 */
public final class RoomPermissions {

	private final List<String> exact;

	private final List<String> prefixes;

	private RoomPermissions(List<String> exact, List<String> prefixes) {
		this.exact = exact;
		this.prefixes = prefixes;
	}

	public static RoomPermissions of(List<String> patterns) {
		List<String> exact = patterns.stream().filter(p -> !p.endsWith("*")).toList();
		List<String> prefixes = patterns.stream()
			.filter(p -> p.endsWith("*"))
			.map(p -> p.substring(0, p.length() - 1))
			.toList();
		return new RoomPermissions(exact, prefixes);
	}

	public boolean allows(String room) {
		if (this.exact.contains(room)) {
			return true;
		}
		for (String prefix : this.prefixes) {
			if (room.startsWith(prefix)) {
				return true;
			}
		}
		return false;
	}

}
