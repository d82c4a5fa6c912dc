package io.eventgateway.gateway.store;

import io.eventgateway.core.store.EventStore;
import io.eventgateway.core.task.TaskStore;
import io.eventgateway.gateway.config.GatewayProperties;
import io.eventgateway.gateway.support.PeriodicTask;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Removes durable events that fell out of the retention window, and idempotency keys of task
 * creations older than a day, on a fixed interval.
 */
public final class RetentionPruner extends PeriodicTask {

	private static final Logger logger = LoggerFactory.getLogger(RetentionPruner.class);

	private final EventStore store;

	private final TaskStore tasks;

	private final GatewayProperties.History history;

	public RetentionPruner(EventStore store, TaskStore tasks, GatewayProperties.History history) {
		this.store = store;
		this.tasks = tasks;
		this.history = history;
	}

	/** Returns how many events were removed. */
	public Mono<Long> pruneOnce() {
		long now = System.currentTimeMillis();
		return this.store.prune(now - this.history.retainFor().toMillis(), this.history.retainEvents())
			.flatMap(removed -> this.tasks.forgetIdempotencyKeys(now - EventStore.ID_RETENTION_MILLIS).thenReturn(removed));
	}

	@Override
	protected Flux<?> schedule() {
		return Flux.interval(this.history.pruneInterval())
			// A prune longer than the interval is not doubled: that tick is dropped.
			.onBackpressureDrop()
			// A failed prune is retried at the next interval; retention is not urgent.
			.concatMap(tick -> pruneOnce().onErrorResume(error -> {
				logger.warn("pruning old events failed: {}", error.getMessage());
				return Mono.empty();
			}))
			.doOnNext(removed -> logger.debug("pruned {} events", removed));
	}

}
