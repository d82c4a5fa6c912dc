package io.eventgateway.persistence;

import org.springframework.r2dbc.core.DatabaseClient;
import reactor.core.publisher.Mono;

/**
 * How far a room is pruned, one head at a time. Every prune marks through here: a statement over
 * many heads would lock them in no particular order and could deadlock with an append, which locks
 * its rooms' heads in name order.
 */
final class RoomHeads {

	private final DatabaseClient db;

	RoomHeads(DatabaseClient db) {
		this.db = db;
	}

	/** The room pruned through {@code through}, unless it already is further. */
	Mono<Void> markPrunedThrough(String room, long through) {
		return this.db.sql("UPDATE room_heads SET pruned_through = $1 WHERE room = $2 AND pruned_through < $1")
			.bind(0, through)
			.bind(1, room)
			.then();
	}

}
