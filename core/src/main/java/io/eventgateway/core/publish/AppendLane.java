package io.eventgateway.core.publish;

import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import io.eventgateway.core.broker.Broker;
import io.eventgateway.core.event.RoomEvent;
import io.eventgateway.core.store.EventStore;
import io.eventgateway.core.store.NewEvent;
import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoSink;

/**
 * One lane of durable publishes: at most one store batch in flight; whatever arrives meanwhile
 * forms the next batch (group commit). After a batch commits, its events go to the broker in
 * {@code seq} order before the next batch starts, and only then are the publishers answered.
 */
final class AppendLane {

	private final EventStore store;

	private final Broker broker;

	private final int maxBatch;

	private final int maxPending;

	private final Queue<PendingPublish> queue = new ConcurrentLinkedQueue<>();

	private final AtomicInteger pending = new AtomicInteger();

	private final AtomicBoolean batchInFlight = new AtomicBoolean();

	AppendLane(EventStore store, Broker broker, int maxBatch, int maxPending) {
		this.store = store;
		this.broker = broker;
		this.maxBatch = maxBatch;
		this.maxPending = maxPending;
	}

	Mono<RoomEvent> submit(NewEvent event) {
		return Mono.create(sink -> {
			if (this.pending.incrementAndGet() > this.maxPending) {
				this.pending.decrementAndGet();
				sink.error(new PublishRejectedException("too many publishes waiting for the store"));
				return;
			}
			this.queue.offer(new PendingPublish(event, sink));
			startBatchIfIdle();
		});
	}

	private void startBatchIfIdle() {
		while (!this.queue.isEmpty() && this.batchInFlight.compareAndSet(false, true)) {
			List<PendingPublish> batch = pollBatch();
			if (batch.isEmpty()) {
				this.batchInFlight.set(false);
				continue;
			}
			storeAndFanOut(batch);
			return;
		}
	}

	private List<PendingPublish> pollBatch() {
		List<PendingPublish> batch = new ArrayList<>(Math.min(this.maxBatch, 64));
		PendingPublish next;
		while (batch.size() < this.maxBatch && (next = this.queue.poll()) != null) {
			batch.add(next);
		}
		this.pending.addAndGet(-batch.size());
		return batch;
	}

	private void storeAndFanOut(List<PendingPublish> batch) {
		this.store.append(batch.stream().map(PendingPublish::event).toList())
			.flatMap(stored -> fanOut(stored).thenReturn(stored))
			.subscribe(stored -> {
				for (int i = 0; i < batch.size(); i++) {
					batch.get(i).sink().success(stored.get(i));
				}
			}, error -> {
				for (PendingPublish publish : batch) {
					publish.sink().error(error);
				}
				nextBatch();
			}, this::nextBatch);
	}

	// The event is stored: a broker failure must not turn it into a failed publish. Members that
	// missed it catch up from the store by seq.
	private Mono<Void> fanOut(List<RoomEvent> stored) {
		return this.broker.publishAll(stored).onErrorResume(error -> Mono.empty());
	}

	private void nextBatch() {
		this.batchInFlight.set(false);
		startBatchIfIdle();
	}

	private record PendingPublish(NewEvent event, MonoSink<RoomEvent> sink) {
	}

}
