package io.eventgateway.gateway.store;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;

import io.eventgateway.core.event.RoomEvent;
import io.eventgateway.core.store.Appended;
import io.eventgateway.core.store.EventStore;
import io.eventgateway.core.store.NewEvent;
import io.eventgateway.core.store.RoomPosition;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** The event store as the gateway uses it: every call through the {@link StoreGuard}. */
public final class ResilientEventStore implements EventStore, AutoCloseable {

	private final EventStore store;

	private final StoreGuard guard;

	private final Duration pruneTimeout;

	/**
	 * @param pruneTimeout the longest a whole prune may take: it is many statements, each short, so
	 * the one-statement timeout of the other calls does not fit it
	 */
	public ResilientEventStore(EventStore store, StoreGuard guard, Duration pruneTimeout) {
		this.store = store;
		this.guard = guard;
		this.pruneTimeout = pruneTimeout;
	}

	/** Closes the store it guards, if that holds anything (the connections kept for appends). */
	@Override
	public void close() throws Exception {
		if (this.store instanceof AutoCloseable closeable) {
			closeable.close();
		}
	}

	@Override
	public Mono<List<Appended>> append(List<NewEvent> batch) {
		return this.guard.guard(this.store.append(batch));
	}

	@Override
	public Mono<RoomPosition> position(String room) {
		return this.guard.guard(this.store.position(room));
	}

	@Override
	public Mono<Map<String, Long>> newestSeqs(Collection<String> rooms) {
		return this.guard.guard(this.store.newestSeqs(rooms));
	}

	@Override
	public Flux<RoomEvent> read(String room, long afterSeq, long upToSeq, int limit) {
		return this.guard.guard(this.store.read(room, afterSeq, upToSeq, limit));
	}

	@Override
	public Mono<Long> prune(long olderThanMillis, long keepPerRoom) {
		return this.guard.guard(this.store.prune(olderThanMillis, keepPerRoom), this.pruneTimeout);
	}

}
