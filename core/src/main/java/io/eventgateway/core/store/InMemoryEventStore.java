package io.eventgateway.core.store;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.eventgateway.core.event.RoomEvent;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * An event store in this process's memory, held to the same contract as the database stores: the
 * twin that core's pipelines are tested against. Its epoch is new with every instance, as an
 * embedded store's history is lost with its process.
 */
public final class InMemoryEventStore implements EventStore {

	private final String epoch = UUID.randomUUID().toString().substring(0, 8);

	private final Map<String, Room> rooms = new HashMap<>();

	/** The highest seq of a room removed once its every event was pruned: new rooms start above it. */
	private long retiredSeq;

	@Override
	public synchronized Mono<List<Appended>> append(List<NewEvent> batch) {
		for (NewEvent event : batch) {
			if (event.room() == null || event.event() == null || event.data() == null) {
				return Mono.error(new IllegalArgumentException("an event needs a room, a name and data"));
			}
		}
		List<Appended> stored = new ArrayList<>(batch.size());
		for (NewEvent event : batch) {
			Room room = this.rooms.computeIfAbsent(event.room(), name -> new Room(this.retiredSeq));
			StoredId first = (event.id() == null) ? null : room.ids.get(event.id());
			if (first != null) {
				stored.add(Appended.duplicateOf(event, first.seq()));
				continue;
			}
			RoomEvent numbered = event.numbered(room.head + 1);
			room.head = numbered.seq();
			room.events.addLast(numbered);
			if (event.id() != null) {
				room.ids.put(event.id(), new StoredId(numbered.seq(), event.timestamp()));
			}
			stored.add(Appended.stored(numbered));
		}
		return Mono.just(stored);
	}

	@Override
	public synchronized Mono<RoomPosition> position(String room) {
		Room found = this.rooms.get(room);
		return Mono.just((found == null) ? new RoomPosition(this.retiredSeq, this.epoch, this.retiredSeq)
				: new RoomPosition(found.head, this.epoch, found.prunedThrough));
	}

	@Override
	public synchronized Mono<Map<String, Long>> newestSeqs(Collection<String> rooms) {
		Map<String, Long> newest = new HashMap<>();
		for (String room : rooms) {
			Room found = this.rooms.get(room);
			if (found != null && found.head > 0) {
				newest.put(room, found.head);
			}
		}
		return Mono.just(newest);
	}

	@Override
	public Flux<RoomEvent> read(String room, long afterSeq, long upToSeq, int limit) {
		List<RoomEvent> found = new ArrayList<>();
		synchronized (this) {
			Room stored = this.rooms.get(room);
			if (stored != null) {
				for (RoomEvent event : stored.events) {
					if (found.size() >= limit || event.seq() > upToSeq) {
						break;
					}
					if (event.seq() > afterSeq) {
						found.add(event);
					}
				}
			}
		}
		return Flux.fromIterable(found);
	}

	@Override
	public synchronized Mono<Long> prune(long olderThanMillis, long keepPerRoom) {
		long idsOlderThan = Math.min(olderThanMillis, System.currentTimeMillis() - ID_RETENTION_MILLIS);
		long removed = 0;
		for (var iterator = this.rooms.values().iterator(); iterator.hasNext();) {
			Room room = iterator.next();
			RoomEvent oldest;
			while ((oldest = room.events.peekFirst()) != null
					&& (oldest.timestamp() < olderThanMillis || oldest.seq() <= room.head - keepPerRoom)) {
				room.events.pollFirst();
				room.prunedThrough = oldest.seq();
				removed++;
			}
			room.ids.values().removeIf(id -> id.timestamp() < idsOlderThan);
			if (room.events.isEmpty() && room.ids.isEmpty()) {
				this.retiredSeq = Math.max(this.retiredSeq, room.head);
				iterator.remove();
			}
		}
		return Mono.just(removed);
	}

	private record StoredId(long seq, long timestamp) {
	}

	private static final class Room {

		private final ArrayDeque<RoomEvent> events = new ArrayDeque<>();

		private long head;

		private long prunedThrough;

		private final Map<String, StoredId> ids = new HashMap<>();

		Room(long startAfter) {
			this.head = startAfter;
			this.prunedThrough = startAfter;
		}

	}

}
