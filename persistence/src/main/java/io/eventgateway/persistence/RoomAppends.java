package io.eventgateway.persistence;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.eventgateway.core.event.RoomEvent;
import io.eventgateway.core.store.NewEvent;
import io.r2dbc.spi.ConnectionFactory;
import org.springframework.r2dbc.core.DatabaseClient;
import reactor.core.publisher.Mono;

/**
 * The statements of durable appends. A batch of publishes is one statement on PostgreSQL
 * ({@link #appendBatch}); a task write and the embedded store advance the room's head (its row lock
 * serializes appends to the room across instances) and insert the events inside the caller's
 * transaction.
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

	/** Whether {@link #appendBatch} is available: PostgreSQL; the embedded store has no data-modifying CTEs. */
	boolean appendsBatchesInOneStatement() {
		return this.postgres;
	}

	/**
	 * A whole batch in one call of {@code room_events_append} (migration V7): one round trip, atomic
	 * without a transaction of its own, one statement text for every batch size. Returns each room's
	 * new head; an id the room already holds fails the call with {@link EventIds.IdAlreadyHeld}.
	 */
	Mono<Map<String, Long>> appendBatch(BatchColumns batch) {
		return this.db.sql(APPEND_BATCH)
			.bind(0, batch.rooms())
			.bind(1, batch.counts())
			.bind(2, batch.eventRooms())
			.bind(3, batch.events())
			.bind(4, batch.data())
			.bind(5, batch.dataLengths())
			.bind(6, batch.timestamps())
			.bind(7, batch.ids())
			.bind(8, batch.senders())
			.map(row -> Map.entry(row.get("room", String.class), row.get("seq", Long.class)))
			.all()
			.collectMap(Map.Entry::getKey, Map.Entry::getValue, () -> new HashMap<>(batch.rooms().length * 2))
			.onErrorMap(StoreErrors::isConstraintViolation, EventIds.IdAlreadyHeld::new);
	}

	private static final String APPEND_BATCH = "SELECT head_room AS room, head_seq AS seq FROM room_events_append($1, $2, $3, $4, $5, $6, $7, $8, $9)";

	/**
	 * A batch as {@link #appendBatch} binds it: the rooms in name order with their counts; per stored
	 * event, in batch order, its room (1-based index into the rooms), event name, payload length in
	 * bytes, timestamp, id and sender; and all payloads, UTF-8, one after the other.
	 */
	record BatchColumns(String[] rooms, Long[] counts, Integer[] eventRooms, String[] events, byte[] data,
			Integer[] dataLengths, Long[] timestamps, String[] ids, String[] senders) {

		/** The events of {@code batch} marked in {@code toStore}; {@code countsByRoom} iterates in name order. */
		static BatchColumns of(List<NewEvent> batch, boolean[] toStore, Map<String, Integer> countsByRoom) {
			int rooms = countsByRoom.size();
			String[] roomNames = new String[rooms];
			Long[] counts = new Long[rooms];
			Map<String, Integer> indexOfRoom = new HashMap<>(rooms * 2);
			int stored = 0;
			int index = 0;
			for (Map.Entry<String, Integer> room : countsByRoom.entrySet()) {
				roomNames[index] = room.getKey();
				counts[index] = (long) room.getValue();
				indexOfRoom.put(room.getKey(), ++index);
				stored += room.getValue();
			}
			Integer[] eventRooms = new Integer[stored];
			String[] events = new String[stored];
			byte[][] payloads = new byte[stored][];
			Integer[] dataLengths = new Integer[stored];
			Long[] timestamps = new Long[stored];
			String[] ids = new String[stored];
			String[] senders = new String[stored];
			int bytes = 0;
			int row = 0;
			for (int i = 0; i < batch.size(); i++) {
				if (!toStore[i]) {
					continue;
				}
				NewEvent event = batch.get(i);
				eventRooms[row] = indexOfRoom.get(event.room());
				events[row] = event.event();
				payloads[row] = event.data().getBytes(StandardCharsets.UTF_8);
				dataLengths[row] = payloads[row].length;
				bytes += payloads[row].length;
				timestamps[row] = event.timestamp();
				ids[row] = event.id();
				senders[row] = event.from();
				row++;
			}
			byte[] data = new byte[bytes];
			int offset = 0;
			for (byte[] payload : payloads) {
				System.arraycopy(payload, 0, data, offset, payload.length);
				offset += payload.length;
			}
			return new BatchColumns(roomNames, counts, eventRooms, events, data, dataLengths, timestamps, ids, senders);
		}

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
