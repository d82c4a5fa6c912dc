package io.eventgateway.gateway.support;

import java.time.Duration;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.util.retry.Retry;

/**
 * A background pipeline that runs while the application runs: started with it, disposed when it
 * stops. Should the pipeline end with an error anyway, it is logged and the pipeline started again
 * a moment later: a background task that stops silently (presence, retention, probes) is an outage
 * no one sees.
 */
public abstract class PeriodicTask implements SmartLifecycle {

	private static final Logger logger = LoggerFactory.getLogger(PeriodicTask.class);

	static final Duration RESTART_DELAY = Duration.ofSeconds(1);

	private volatile Disposable running;

	/** The pipeline to run; it must handle its own errors, a failed tick must not end it. */
	protected abstract Flux<?> schedule();

	@Override
	public void start() {
		this.running = Flux.defer(this::schedule)
			.doOnError(error -> logger.error("{} failed, starting it again in {}", getClass().getSimpleName(), RESTART_DELAY, error))
			.retryWhen(Retry.fixedDelay(Long.MAX_VALUE, RESTART_DELAY))
			.subscribe();
	}

	@Override
	public void stop() {
		Disposable current = this.running;
		if (current != null) {
			current.dispose();
		}
		this.running = null;
	}

	@Override
	public boolean isRunning() {
		return this.running != null;
	}

}
