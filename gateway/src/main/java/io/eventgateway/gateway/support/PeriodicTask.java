package io.eventgateway.gateway.support;

import org.springframework.context.SmartLifecycle;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;

/** A background pipeline that runs while the application runs: started with it, disposed when it stops. */
public abstract class PeriodicTask implements SmartLifecycle {

	private volatile Disposable running;

	/** The pipeline to run; it must handle its own errors, a failed tick must not end it. */
	protected abstract Flux<?> schedule();

	@Override
	public void start() {
		this.running = schedule().subscribe();
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
