package io.eventgateway.core.room;

import java.util.Map;

import reactor.core.publisher.Mono;

/** Who is in a room, across every instance: users and their number of connections. */
public interface Presence {

	/**
	 * A connection of {@code user} joined {@code room} on this instance (it is in the local registry
	 * by now). Must not block.
	 */
	void joined(String room, String user);

	/** A connection of {@code user} left {@code room} on this instance (and the local registry). Must not block. */
	void left(String room, String user);

	/** The room's members, by user, with their connection counts. */
	Mono<Map<String, Integer>> members(String room);

}
