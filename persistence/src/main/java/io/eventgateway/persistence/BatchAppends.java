package io.eventgateway.persistence;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.eventgateway.core.event.Utf8;
import io.eventgateway.core.store.NewEvent;
import io.r2dbc.spi.ConnectionFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * A batch of durable publishes in one call of {@code room_events_append} (migrations V7 and V9,
 * PostgreSQL): one round trip, atomic without a transaction of its own, one statement text for
 * every batch size. It runs on a connection kept for appends ({@link AppendConnections}), through
 * the driver itself: the batch pays neither the pool's acquire and release nor a client's per-call
 * set-up, and finds its statement prepared.
 */
final class BatchAppends implements AutoCloseable {

	private static final String APPEND_BATCH = "SELECT head_room AS room, head_seq AS seq FROM room_events_append($1, $2, $3, $4, $5, $6, $7, $8, $9)";

	private final AppendConnections connections;

	BatchAppends(ConnectionFactory pool, int appendConnections) {
		this.connections = new AppendConnections(pool, appendConnections);
	}

	/** Each room's new head; an id the room already holds fails the call with {@link EventIds.IdAlreadyHeld}. */
	Mono<Map<String, Long>> append(BatchColumns batch) {
		return this.connections.run(connection -> Flux.from(connection.createStatement(APPEND_BATCH)
			.bind(0, batch.rooms())
			.bind(1, batch.counts())
			.bind(2, batch.eventRooms())
			.bind(3, batch.events())
			.bind(4, batch.text())
			.bind(5, batch.dataLengths())
			.bind(6, batch.timestamps())
			.bind(7, batch.ids())
			.bind(8, batch.senders())
			.execute())
			.flatMap(result -> result.map((row, metadata) -> Map.entry(row.get("room", String.class), row.get("seq", Long.class))))
			.collectMap(Map.Entry::getKey, Map.Entry::getValue, () -> new HashMap<>(batch.rooms().length * 2)))
			.onErrorMap(StoreErrors::isConstraintViolation, EventIds.IdAlreadyHeld::new);
	}

	@Override
	public void close() {
		this.connections.close();
	}

	/**
	 * A batch as {@link #append} binds it: the rooms in name order with their counts; per stored
	 * event, in batch order, its room (1-based index into the rooms), event name, payload length in
	 * UTF-8 bytes, timestamp, id and sender; and all payloads as one text, one after the other (the
	 * driver writes a text as UTF-8 in one pass, where it would send a byte array as hex).
	 */
	record BatchColumns(String[] rooms, Long[] counts, Integer[] eventRooms, String[] events, String text,
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
			Integer[] dataLengths = new Integer[stored];
			Long[] timestamps = new Long[stored];
			String[] ids = new String[stored];
			String[] senders = new String[stored];
			StringBuilder text = new StringBuilder(stored * 128);
			int row = 0;
			for (int i = 0; i < batch.size(); i++) {
				if (!toStore[i]) {
					continue;
				}
				NewEvent event = batch.get(i);
				eventRooms[row] = indexOfRoom.get(event.room());
				events[row] = event.event();
				text.append(event.data());
				// As the driver encodes the text: a lone surrogate becomes one byte, '?'.
				dataLengths[row] = (int) Utf8.length(event.data());
				timestamps[row] = event.timestamp();
				ids[row] = event.id();
				senders[row] = event.from();
				row++;
			}
			return new BatchColumns(roomNames, counts, eventRooms, events, text.toString(), dataLengths, timestamps, ids, senders);
		}

	}

}
