package io.eventgateway.gateway.store;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.eventgateway.core.event.RoomEvent;
import io.eventgateway.core.store.Appended;
import io.eventgateway.core.store.EventStore;
import io.eventgateway.core.store.NewEvent;
import io.eventgateway.core.store.RoomPosition;
import io.eventgateway.gateway.metrics.GatewayMeters;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The store as the publish lanes see it: each batch they append is measured, its size and how long
 * it took to be stored (failed batches too); every other call passes straight through.
 */
public final class BatchMeteredEventStore implements EventStore {

	private static final double[] BATCH_SIZES = { 1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024 };

	private final EventStore store;

	private final DistributionSummary batchEvents;

	private final Timer batchTime;

	public BatchMeteredEventStore(EventStore store, MeterRegistry meters) {
		this.store = store;
		this.batchEvents = DistributionSummary.builder(GatewayMeters.STORE_BATCH_EVENTS)
			.baseUnit("events")
			.serviceLevelObjectives(BATCH_SIZES)
			.register(meters);
		this.batchTime = Timer.builder(GatewayMeters.STORE_BATCH)
			.publishPercentileHistogram()
			.minimumExpectedValue(Duration.ofMillis(1))
			.maximumExpectedValue(Duration.ofSeconds(10))
			.register(meters);
	}

	@Override
	public Mono<List<Appended>> append(List<NewEvent> batch) {
		return Mono.defer(() -> {
			long started = System.nanoTime();
			this.batchEvents.record(batch.size());
			return this.store.append(batch)
				.doFinally(signal -> this.batchTime.record(System.nanoTime() - started, TimeUnit.NANOSECONDS));
		});
	}

	@Override
	public Mono<RoomPosition> position(String room) {
		return this.store.position(room);
	}

	@Override
	public Mono<Map<String, Long>> newestSeqs(Collection<String> rooms) {
		return this.store.newestSeqs(rooms);
	}

	@Override
	public Flux<RoomEvent> read(String room, long afterSeq, long upToSeq, int limit) {
		return this.store.read(room, afterSeq, upToSeq, limit);
	}

	@Override
	public Mono<Long> prune(long olderThanMillis, long keepPerRoom) {
		return this.store.prune(olderThanMillis, keepPerRoom);
	}

}
