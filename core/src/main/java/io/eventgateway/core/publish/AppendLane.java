package io.eventgateway.core.publish;

import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import io.eventgateway.core.broker.Broker;
import io.eventgateway.core.event.RoomEvent;
import io.eventgateway.core.store.Appended;
import io.eventgateway.core.store.EventStore;
import io.eventgateway.core.store.NewEvent;
import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoSink;

/**
 * One lane of durable publishes: at most one store batch in flight; whatever arrives meanwhile
 * forms the next batch (group commit). After a batch commits, its events go to the broker in
 * {@code seq} order before the next batch starts, and only then are the publishers answered. A
 * write that stores its own event (a task change) runs alone, between two batches.
 */
final class AppendLane {

	private final EventStore store;

	private final Broker broker;

	private final int maxBatch;

	private final int maxPending;

	private final Queue<Pending> queue = new ConcurrentLinkedQueue<>();

	private final AtomicInteger pending = new AtomicInteger();

	private final AtomicBoolean batchInFlight = new AtomicBoolean();

	AppendLane(EventStore store, Broker broker, int maxBatch, int maxPending) {
		this.store = store;
		this.broker = broker;
		this.maxBatch = maxBatch;
		this.maxPending = maxPending;
	}

	/** Publishes and writes waiting for their batch (not the one in flight). */
	int backlog() {
		return this.pending.get();
	}

	Mono<Appended> submit(NewEvent event) {
		return enqueue(sink -> new PendingPublish(event, sink));
	}

	<T> Mono<T> submitWrite(Mono<T> write, Function<T, RoomEvent> announced) {
		return enqueue(sink -> new PendingWrite<>(write, announced, sink));
	}

	// The lane's one overflow policy: past maxPending waiting, new work is refused at once.
	private <T> Mono<T> enqueue(Function<MonoSink<T>, Pending> pendingOf) {
		return Mono.create(sink -> {
			if (this.pending.incrementAndGet() > this.maxPending) {
				this.pending.decrementAndGet();
				sink.error(new PublishRejectedException("too many publishes waiting for the store"));
				return;
			}
			this.queue.offer(pendingOf.apply(sink));
			startBatchIfIdle();
		});
	}

	private void startBatchIfIdle() {
		while (!this.queue.isEmpty() && this.batchInFlight.compareAndSet(false, true)) {
			if (this.queue.peek() instanceof PendingWrite<?> write) {
				this.queue.poll();
				this.pending.decrementAndGet();
				writeAndFanOut(write);
				return;
			}
			List<PendingPublish> batch = pollBatch();
			if (batch.isEmpty()) {
				this.batchInFlight.set(false);
				continue;
			}
			storeAndFanOut(batch);
			return;
		}
	}

	// Consecutive publishes up to the first write, which must wait for the batch before it.
	private List<PendingPublish> pollBatch() {
		List<PendingPublish> batch = new ArrayList<>(Math.min(this.maxBatch, 64));
		while (batch.size() < this.maxBatch && this.queue.peek() instanceof PendingPublish) {
			batch.add((PendingPublish) this.queue.poll());
		}
		this.pending.addAndGet(-batch.size());
		return batch;
	}

	private <T> void writeAndFanOut(PendingWrite<T> write) {
		write.write().flatMap(result -> {
			RoomEvent event = write.announced().apply(result);
			return (event == null) ? Mono.just(result) : fanOut(List.of(event)).thenReturn(result);
		}).subscribe(write.sink()::success, error -> {
			write.sink().error(error);
			nextBatch();
		}, () -> {
			write.sink().success();
			nextBatch();
		});
	}

	private void storeAndFanOut(List<PendingPublish> batch) {
		this.store.append(batch.stream().map(PendingPublish::event).toList())
			// A duplicate was delivered when it was first stored: only what was stored now goes out.
			.flatMap(stored -> fanOut(stored.stream().filter(appended -> !appended.duplicate()).map(Appended::event).toList())
				.thenReturn(stored))
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
		if (stored.isEmpty()) {
			return Mono.empty();
		}
		return this.broker.publishAll(stored).onErrorResume(error -> Mono.empty());
	}

	private void nextBatch() {
		this.batchInFlight.set(false);
		startBatchIfIdle();
	}

	private sealed interface Pending permits PendingPublish, PendingWrite {
	}

	private record PendingPublish(NewEvent event, MonoSink<Appended> sink) implements Pending {
	}

	private record PendingWrite<T>(Mono<T> write, Function<T, RoomEvent> announced, MonoSink<T> sink) implements Pending {
	}

}
