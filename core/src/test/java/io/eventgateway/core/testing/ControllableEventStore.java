package io.eventgateway.core.testing;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import io.eventgateway.core.event.RoomEvent;
import io.eventgateway.core.store.Appended;
import io.eventgateway.core.store.EventStore;
import io.eventgateway.core.store.InMemoryEventStore;
import io.eventgateway.core.store.NewEvent;
import io.eventgateway.core.store.RoomPosition;
import io.eventgateway.core.store.StoreUnavailableException;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/** The in-memory store, with reads and position reads that a test can make fail. */
public final class ControllableEventStore implements EventStore {

	private final InMemoryEventStore store = new InMemoryEventStore();

	public final AtomicBoolean readsFail = new AtomicBoolean();

	public final AtomicBoolean positionsFail = new AtomicBoolean();

	private volatile Sinks.Empty<Void> readGate;

	private volatile Sinks.Empty<Void> positionGate;

	public final AtomicInteger positionReads = new AtomicInteger();

	public final AtomicInteger newestSeqReads = new AtomicInteger();

	/** The most rooms one {@link #newestSeqs} call asked for. */
	public final AtomicInteger largestNewestSeqRead = new AtomicInteger();

	@Override
	public Mono<List<Appended>> append(List<NewEvent> batch) {
		return this.store.append(batch);
	}

	@Override
	public Mono<RoomPosition> position(String room) {
		return Mono.defer(() -> {
			this.positionReads.incrementAndGet();
			if (this.positionsFail.get()) {
				return Mono.error(new StoreUnavailableException("store down"));
			}
			// Read now; answered now, or once released.
			RoomPosition read = this.store.position(room).block();
			Sinks.Empty<Void> gate = this.positionGate;
			return (gate == null) ? Mono.just(read) : gate.asMono().thenReturn(read);
		});
	}

	@Override
	public Mono<Map<String, Long>> newestSeqs(Collection<String> rooms) {
		return Mono.defer(() -> {
			this.newestSeqReads.incrementAndGet();
			this.largestNewestSeqRead.accumulateAndGet(rooms.size(), Math::max);
			return this.positionsFail.get() ? Mono.error(new StoreUnavailableException("store down"))
					: this.store.newestSeqs(rooms);
		});
	}

	@Override
	public Flux<RoomEvent> read(String room, long afterSeq, long upToSeq, int limit) {
		Sinks.Empty<Void> gate = this.readGate;
		Mono<Void> opened = (gate == null) ? Mono.empty() : gate.asMono();
		return opened.thenMany(Flux.defer(() -> this.readsFail.get() ? Flux.error(new StoreUnavailableException("store down"))
				: this.store.read(room, afterSeq, upToSeq, limit)));
	}

	/** Positions read from now on are answered, as they were when read, once {@link #releasePositions()} is called. */
	public void holdPositions() {
		this.positionGate = Sinks.empty();
	}

	public void releasePositions() {
		Sinks.Empty<Void> gate = this.positionGate;
		this.positionGate = null;
		if (gate != null) {
			gate.tryEmitEmpty();
		}
	}

	/** Reads from now on wait until {@link #releaseReads()}. */
	public void holdReads() {
		this.readGate = Sinks.empty();
	}

	public void releaseReads() {
		Sinks.Empty<Void> gate = this.readGate;
		this.readGate = null;
		if (gate != null) {
			gate.tryEmitEmpty();
		}
	}

	@Override
	public Mono<Long> prune(long olderThanMillis, long keepPerRoom) {
		return this.store.prune(olderThanMillis, keepPerRoom);
	}

	/** Stores one event and returns it numbered. */
	public RoomEvent store(String room, String data) {
		return this.store.append(List.of(new NewEvent(room, "e", data, System.currentTimeMillis()))).block().get(0).event();
	}

}
