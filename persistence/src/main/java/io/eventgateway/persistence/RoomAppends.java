package io.eventgateway.persistence;

import java.util.ArrayList;
import java.util.List;

import io.eventgateway.core.event.RoomEvent;
import io.r2dbc.spi.ConnectionFactory;
import org.springframework.r2dbc.core.DatabaseClient;
import reactor.core.publisher.Mono;

/**
 * The statements of durable appends made statement by statement: a task write, and a batch of
 * publishes on the embedded store (PostgreSQL takes a batch in one statement, {@link BatchAppends}),
 * advance the room's head (its row lock serializes appends to the room across instances) and insert
 * the events inside the caller's transaction.
 */
final class RoomAppends {

	private final DatabaseClient db;

	private final boolean postgres;

	RoomAppends(DatabaseClient db, ConnectionFactory connectionFactory) {
		this.db = db;
		this.postgres = isPostgres(connectionFactory);
	}

	static boolean isPostgres(ConnectionFactory connectionFactory) {
		return connectionFactory.getMetadata().getName().toLowerCase().contains("postgres");
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
