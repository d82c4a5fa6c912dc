package io.eventgateway.gateway.store;

import io.eventgateway.core.store.EventStore;
import io.eventgateway.gateway.config.GatewayProperties;
import io.eventgateway.gateway.support.PeriodicTask;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Removes durable events that fell out of the retention window, on a fixed interval. */
public final class RetentionPruner extends PeriodicTask {

	private static final Logger logger = LoggerFactory.getLogger(RetentionPruner.class);

	private final EventStore store;

	private final GatewayProperties.History history;

	public RetentionPruner(EventStore store, GatewayProperties.History history) {
		this.store = store;
		this.history = history;
	}

	public Mono<Long> pruneOnce() {
		return this.store.prune(System.currentTimeMillis() - this.history.retainFor().toMillis(),
				this.history.retainEvents());
	}

	@Override
	protected Flux<?> schedule() {
		return Flux.interval(this.history.pruneInterval())
			// A failed prune is retried at the next interval; retention is not urgent.
			.concatMap(tick -> pruneOnce().onErrorResume(error -> {
				logger.warn("pruning old events failed: {}", error.getMessage());
				return Mono.empty();
			}))
			.doOnNext(removed -> logger.debug("pruned {} events", removed));
	}

}
