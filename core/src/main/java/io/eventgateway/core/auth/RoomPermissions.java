package io.eventgateway.core.auth;

import java.util.List;

/**
 * The rooms a token allows: from its {@code rooms} claim the rooms it may join and publish to, from
 * its {@code subscribe} claim rooms it may only join (read-only rooms). An entry ending in
 * {@code *} is a prefix: {@code team-*} allows {@code team-42}; a lone {@code *} allows every room.
 */
public final class RoomPermissions {

	private final Patterns publish;

	private final Patterns subscribeOnly;

	private RoomPermissions(Patterns publish, Patterns subscribeOnly) {
		this.publish = publish;
		this.subscribeOnly = subscribeOnly;
	}

	/**
	 * @param rooms rooms the token may join and publish to
	 * @param subscribe rooms the token may join but not publish to
	 */
	public static RoomPermissions of(List<String> rooms, List<String> subscribe) {
		return new RoomPermissions(Patterns.of(rooms), Patterns.of(subscribe));
	}

	/** Whether the token may join the room and read its events and presence. */
	public boolean mayJoin(String room) {
		return this.publish.match(room) || this.subscribeOnly.match(room);
	}

	/** Whether the token may publish to the room (or change what its events announce, such as tasks). */
	public boolean mayPublish(String room) {
		return this.publish.match(room);
	}

	private record Patterns(List<String> exact, List<String> prefixes) {

		static Patterns of(List<String> patterns) {
			return new Patterns(patterns.stream().filter(p -> !p.endsWith("*")).toList(),
					patterns.stream().filter(p -> p.endsWith("*")).map(p -> p.substring(0, p.length() - 1)).toList());
		}

		boolean match(String room) {
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

}
