package io.eventgateway.gateway.store;

import io.eventgateway.core.store.EventStore;
import io.eventgateway.gateway.config.GatewayProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Removes durable events that fell out of the retention window, on a fixed interval. */
public final class RetentionPruner implements SmartLifecycle {

	private static final Logger logger = LoggerFactory.getLogger(RetentionPruner.class);

	private final EventStore store;

	private final GatewayProperties.History history;

	private volatile Disposable schedule;

	public RetentionPruner(EventStore store, GatewayProperties.History history) {
		this.store = store;
		this.history = history;
	}

	public Mono<Long> pruneOnce() {
		return this.store.prune(System.currentTimeMillis() - this.history.retainFor().toMillis(),
				this.history.retainEvents());
	}

	@Override
	public void start() {
		this.schedule = Flux.interval(this.history.pruneInterval())
			// A failed prune is retried at the next interval; retention is not urgent.
			.concatMap(tick -> pruneOnce().onErrorResume(error -> {
				logger.warn("pruning old events failed: {}", error.getMessage());
				return Mono.empty();
			}))
			.subscribe(removed -> {
				if (removed > 0) {
					logger.debug("pruned {} events", removed);
				}
			});
	}

	@Override
	public void stop() {
		Disposable running = this.schedule;
		if (running != null) {
			running.dispose();
		}
		this.schedule = null;
	}

	@Override
	public boolean isRunning() {
		return this.schedule != null;
	}

}
