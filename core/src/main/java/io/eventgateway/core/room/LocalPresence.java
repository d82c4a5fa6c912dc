package io.eventgateway.core.room;

import java.util.Map;

import reactor.core.publisher.Mono;

/** Presence of a single instance: its own room registry is the whole truth. */
public final class LocalPresence implements Presence {

	private final RoomRegistry registry;

	public LocalPresence(RoomRegistry registry) {
		this.registry = registry;
	}

	@Override
	public void joined(String room, String user) {
		// The registry already knows.
	}

	@Override
	public void left(String room, String user) {
		// The registry already knows.
	}

	@Override
	public Mono<Map<String, Integer>> members(String room) {
		return Mono.fromSupplier(() -> this.registry.presence(room));
	}

}
