package io.eventgateway.persistence;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import io.eventgateway.core.event.RoomEvent;
import io.eventgateway.core.store.NewEvent;
import org.springframework.r2dbc.core.DatabaseClient;
import reactor.core.publisher.Mono;

/**
 * The ids publishers gave their events, one row per room and id: what makes a repeated publish a
 * duplicate on every instance and after a restart. Read and written inside the append's transaction.
 */
final class EventIds {

	/** Rows removed per statement when old ids are pruned. */
	private static final int PRUNE_CHUNK = 1000;

	private final DatabaseClient db;

	EventIds(DatabaseClient db) {
		this.db = db;
	}

	/** A room's event id. */
	record Key(String room, String id) {

		/** The key of the event's id, or {@code null} for an event without one. */
		static Key of(NewEvent event) {
			return (event.id() == null) ? null : new Key(event.room(), event.id());
		}

	}

	/** The first {@code seq} of every id of the batch its room already holds; no statement for a batch without ids. */
	Mono<Map<Key, Long>> stored(List<NewEvent> batch) {
		List<Key> keys = batch.stream().map(Key::of).filter(Objects::nonNull).distinct().toList();
		if (keys.isEmpty()) {
			return Mono.just(Map.of());
		}
		StringBuilder sql = new StringBuilder("SELECT room, event_id, seq FROM room_event_ids WHERE ");
		List<Object> values = new ArrayList<>(keys.size() * 2);
		for (Key key : keys) {
			sql.append(values.isEmpty() ? "" : " OR ").append("(room = $").append(values.size() + 1)
				.append(" AND event_id = $").append(values.size() + 2).append(')');
			values.add(key.room());
			values.add(key.id());
		}
		return this.db.sql(sql.toString()).bindValues(values)
			.map(row -> Map.entry(new Key(row.get("room", String.class), row.get("event_id", String.class)),
					row.get("seq", Long.class)))
			.all()
			.collectMap(Map.Entry::getKey, Map.Entry::getValue, HashMap::new)
			.map(found -> (Map<Key, Long>) found);
	}

	/**
	 * Records the ids of newly stored events. An id the room already holds (one not looked up, or
	 * one another instance stored since {@link #stored} was read) fails the insert with
	 * {@link IdAlreadyHeld}: the append is then tried again, with its ids looked up.
	 */
	Mono<Void> record(List<RoomEvent> events) {
		List<RoomEvent> withIds = events.stream().filter(event -> event.id() != null)
			.sorted(Comparator.comparing(RoomEvent::room).thenComparing(RoomEvent::id)).toList();
		if (withIds.isEmpty()) {
			return Mono.empty();
		}
		String sql = "INSERT INTO room_event_ids (room, event_id, seq, created_at) VALUES "
				+ SqlParameters.rows(withIds.size(), 4);
		List<Object> values = new ArrayList<>(withIds.size() * 4);
		for (RoomEvent event : withIds) {
			values.add(event.room());
			values.add(event.id());
			values.add(event.seq());
			values.add(event.timestamp());
		}
		return this.db.sql(sql).bindValues(values).then()
			.onErrorMap(StoreErrors::isConstraintViolation, IdAlreadyHeld::new);
	}

	/** Removes ids recorded before the cut-off, a chunk at a time; returns how many. */
	Mono<Long> prune(long recordedBefore) {
		Mono<Long> chunk = this.db.sql("""
				DELETE FROM room_event_ids WHERE (room, event_id) IN
				(SELECT room, event_id FROM room_event_ids WHERE created_at < $1 LIMIT $2)""")
			.bind(0, recordedBefore)
			.bind(1, PRUNE_CHUNK)
			.fetch()
			.rowsUpdated();
		return chunk.expand(removed -> removed < PRUNE_CHUNK ? Mono.empty() : chunk).reduce(0L, Long::sum);
	}

	/** An id of the append is held by the room already. */
	static final class IdAlreadyHeld extends RuntimeException {

		IdAlreadyHeld(Throwable cause) {
			super("an event id of the append is stored already", cause);
		}

	}

}
