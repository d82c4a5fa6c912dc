package io.eventgateway.persistence;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.eventgateway.core.event.RoomEvent;
import io.r2dbc.spi.ConnectionFactory;
import org.springframework.r2dbc.core.DatabaseClient;
import reactor.core.publisher.Mono;

/**
 * The two statements of every durable append, run inside the caller's transaction: advance the
 * room's head (its row lock serializes appends to the room across instances) and insert the events.
 */
final class RoomAppends {

	private final DatabaseClient db;

	private final boolean postgres;

	RoomAppends(DatabaseClient db, ConnectionFactory connectionFactory) {
		this.db = db;
		this.postgres = connectionFactory.getMetadata().getName().toLowerCase().contains("postgres");
	}

	/**
	 * Reserves {@code count} seqs of the room and returns the last of them. A room new to the heads
	 * starts above the highest seq of any head removed by pruning (see {@code R2dbcEventStore#prune}).
	 */
	Mono<Long> advanceHead(String room, int count) {
		if (this.postgres) {
			// One round trip instead of three; the row lock it takes serializes appends to the room.
			return this.db.sql("""
					INSERT INTO room_heads (room, seq, pruned_through, deleted_through)
					SELECT $1, retired_seq + $2, retired_seq, retired_seq FROM store_lineage WHERE id = 1
					ON CONFLICT (room) DO UPDATE SET seq = room_heads.seq + $2 RETURNING seq""")
				.bind(0, room)
				.bind(1, (long) count)
				.map(row -> row.get("seq", Long.class))
				.one();
		}
		// Update first, insert only for a new room: H2 implements ON CONFLICT by throwing and catching
		// an exception, too costly for every batch. Appends to a room are serialized by its lane.
		return this.db.sql("UPDATE room_heads SET seq = seq + $1 WHERE room = $2")
			.bind(0, (long) count)
			.bind(1, room)
			.fetch()
			.rowsUpdated()
			.flatMap(updated -> updated > 0 ? Mono.<Void>empty()
					: this.db.sql("""
							INSERT INTO room_heads (room, seq, pruned_through, deleted_through)
							SELECT $1, retired_seq + $2, retired_seq, retired_seq FROM store_lineage WHERE id = 1""")
						.bind(0, room)
						.bind(1, (long) count)
						.then())
			.then(this.db.sql("SELECT seq FROM room_heads WHERE room = $1")
				.bind(0, room)
				.map(row -> row.get("seq", Long.class))
				.one());
	}

	/**
	 * PostgreSQL: a whole batch in one statement, one round trip, atomic without a transaction of
	 * its own. Each room's head advances once by the room's count (locked in name order, so
	 * concurrent batches on several instances cannot deadlock), the events are inserted from arrays
	 * (one statement text for every batch size, so it is prepared once per connection) and numbered
	 * from the head in the database, and their ids are recorded. Returns each room's new head.
	 * An id the room already holds fails the statement with {@link EventIds.IdAlreadyHeld}.
	 */
	Mono<Map<String, Long>> appendBatch(BatchColumns batch) {
		return this.db.sql(APPEND_BATCH)
			.bind(0, batch.rooms())
			.bind(1, batch.counts())
			.bind(2, batch.eventRooms())
			.bind(3, batch.ordinals())
			.bind(4, batch.events())
			.bind(5, batch.data())
			.bind(6, batch.timestamps())
			.bind(7, batch.ids())
			.bind(8, batch.senders())
			.map(row -> Map.entry(row.get("room", String.class), row.get("seq", Long.class)))
			.all()
			.collectMap(Map.Entry::getKey, Map.Entry::getValue)
			.onErrorMap(StoreErrors::isConstraintViolation, EventIds.IdAlreadyHeld::new);
	}

	boolean appendsBatchesInOneStatement() {
		return this.postgres;
	}

	// A new room's head starts above the retired seq and counts as pruned through it; the update's
	// increment is the room's count, which the proposed row carries as seq - pruned_through.
	private static final String APPEND_BATCH = """
			WITH counts AS (
			  SELECT room, n FROM unnest($1::varchar[], $2::bigint[]) AS c(room, n)
			), heads AS (
			  INSERT INTO room_heads (room, seq, pruned_through, deleted_through)
			  SELECT c.room, l.retired_seq + c.n, l.retired_seq, l.retired_seq
			  FROM counts c CROSS JOIN store_lineage l WHERE l.id = 1 ORDER BY c.room
			  ON CONFLICT (room) DO UPDATE SET seq = room_heads.seq + (EXCLUDED.seq - EXCLUDED.pruned_through)
			  RETURNING room, seq
			), numbered AS (
			  SELECT e.room, h.seq - c.n + e.ordinal AS seq, e.event, e.data, e.ts, e.event_id, e.sender
			  FROM unnest($3::varchar[], $4::bigint[], $5::varchar[], $6::varchar[], $7::bigint[], $8::varchar[], $9::varchar[])
			    AS e(room, ordinal, event, data, ts, event_id, sender)
			  JOIN heads h ON h.room = e.room JOIN counts c ON c.room = e.room
			), events AS (
			  INSERT INTO room_events (room, seq, event, data, ts, event_id, sender)
			  SELECT room, seq, event, data, ts, event_id, sender FROM numbered
			), ids AS (
			  INSERT INTO room_event_ids (room, event_id, seq, created_at)
			  SELECT room, event_id, seq, ts FROM numbered WHERE event_id IS NOT NULL ORDER BY room, event_id
			)
			SELECT room, seq FROM heads""";

	/**
	 * A batch as the columns {@link #appendBatch} binds: the rooms (in name order) with their
	 * counts, and per stored event its room, its ordinal within the room (1, 2, …) and its values.
	 */
	record BatchColumns(String[] rooms, Long[] counts, String[] eventRooms, Long[] ordinals, String[] events,
			String[] data, Long[] timestamps, String[] ids, String[] senders) {
	}

	Mono<Void> insert(List<RoomEvent> events) {
		String sql = "INSERT INTO room_events (room, seq, event, data, ts, event_id, sender) VALUES "
				+ SqlParameters.rows(events.size(), 7);
		// All values at once: the spec is immutable, and binding one by one copies it each time.
		List<Object> values = new ArrayList<>(events.size() * 7);
		for (RoomEvent event : events) {
			values.add(event.room());
			values.add(event.seq());
			values.add(event.event());
			values.add(event.data());
			values.add(event.timestamp());
			values.add(SqlParameters.text(event.id()));
			values.add(SqlParameters.text(event.from()));
		}
		return this.db.sql(sql).bindValues(values).then();
	}

}
