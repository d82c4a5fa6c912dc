package io.eventgateway.core.broker;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

import io.eventgateway.core.event.RoomEvent;
import io.eventgateway.core.store.EventStore;
import io.eventgateway.core.store.NewEvent;
import io.eventgateway.core.store.RoomPosition;
import io.eventgateway.core.store.StoreUnavailableException;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** An event store in memory, for tests of the pipelines; it can be made to fail its reads. */
final class InMemoryEventStore implements EventStore {

	private final Map<String, List<RoomEvent>> rooms = new ConcurrentHashMap<>();

	final AtomicBoolean readsFail = new AtomicBoolean();

	@Override
	public synchronized Mono<List<RoomEvent>> append(List<NewEvent> batch) {
		List<RoomEvent> stored = new ArrayList<>();
		for (NewEvent event : batch) {
			List<RoomEvent> room = this.rooms.computeIfAbsent(event.room(), name -> new ArrayList<>());
			RoomEvent numbered = new RoomEvent(event.room(), room.size() + 1, event.event(), event.data(), event.timestamp());
			room.add(numbered);
			stored.add(numbered);
		}
		return Mono.just(stored);
	}

	@Override
	public synchronized Mono<RoomPosition> position(String room) {
		return Mono.just(new RoomPosition(this.rooms.getOrDefault(room, List.of()).size(), "test", 0));
	}

	@Override
	public Flux<RoomEvent> read(String room, long afterSeq, long upToSeq, int limit) {
		if (this.readsFail.get()) {
			return Flux.error(new StoreUnavailableException("store down"));
		}
		List<RoomEvent> events;
		synchronized (this) {
			events = List.copyOf(this.rooms.getOrDefault(room, List.of()));
		}
		return Flux.fromIterable(events).filter(e -> e.seq() > afterSeq && e.seq() <= upToSeq).take(limit);
	}

	@Override
	public Mono<Long> prune(long olderThanMillis, long keepPerRoom) {
		return Mono.just(0L);
	}

	RoomEvent store(String room, String data) {
		return append(List.of(new NewEvent(room, "e", data, 1))).block().get(0);
	}

}
