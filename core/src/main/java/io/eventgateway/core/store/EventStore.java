package io.eventgateway.core.store;

import java.util.Collection;
import java.util.List;
import java.util.Map;

import io.eventgateway.core.event.RoomEvent;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Where durable events live. Implementations assign each room a gap-free {@code seq}, 1, 2, 3, …,
 * exactly once, and make a batch visible all at once or not at all.
 */
public interface EventStore {

	/**
	 * Stores a batch of new events and returns what became of each, in the order given. Events of
	 * one room are numbered in list order. An event whose {@code id} its room already holds (or that
	 * repeats an earlier event of the batch) is not stored: it is answered as a duplicate with the
	 * first event's {@code seq}. Ids are kept at least as long as their events and never less than
	 * {@link #ID_RETENTION_MILLIS}, on every instance sharing the store.
	 */
	Mono<List<Appended>> append(List<NewEvent> batch);

	/** The shortest time an event id is remembered, whatever the event retention. */
	long ID_RETENTION_MILLIS = 24 * 60 * 60 * 1000L;

	/** The room's newest {@code seq} (0 when it has none) and the lineage of its history. */
	Mono<RoomPosition> position(String room);

	/**
	 * The newest {@code seq} of each of these rooms that has events, in one call: a room without
	 * events has no entry. Serves the catch-up of many rooms at once.
	 */
	Mono<Map<String, Long>> newestSeqs(Collection<String> rooms);

	/** Events of a room with {@code afterSeq < seq <= upToSeq}, in {@code seq} order, at most {@code limit}. */
	Flux<RoomEvent> read(String room, long afterSeq, long upToSeq, int limit);

	/**
	 * Deletes events outside the retention window: older than {@code olderThanMillis} or more than
	 * {@code keepPerRoom} behind their room's newest. Returns how many were removed.
	 */
	Mono<Long> prune(long olderThanMillis, long keepPerRoom);

}
