package io.eventgateway.gateway.store;

import java.time.Duration;

import io.eventgateway.core.store.DataRejectedException;
import io.eventgateway.core.store.StoreUnavailableException;
import io.eventgateway.core.task.TaskException;
import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.reactor.bulkhead.operator.BulkheadOperator;
import io.github.resilience4j.reactor.circuitbreaker.operator.CircuitBreakerOperator;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Every store call as the gateway makes it: bounded in time, limited in concurrency (a bulkhead in
 * front of the connection pool) and behind a circuit breaker, so that a database that is down or
 * slow is answered {@code unavailable} at once instead of piling up waiting requests. Refusals for
 * what was asked (a missing task, a stale version, data the database refused) pass through as they
 * are, and the breaker does not count them.
 */
public final class StoreGuard {

	private final CircuitBreaker breaker;

	private final Bulkhead bulkhead;

	private final Duration timeout;

	public StoreGuard(CircuitBreaker breaker, Bulkhead bulkhead, Duration timeout) {
		this.breaker = breaker;
		this.bulkhead = bulkhead;
		this.timeout = timeout;
	}

	public <T> Mono<T> guard(Mono<T> call) {
		return guard(call, this.timeout);
	}

	/** A call of many statements (a prune) bounded as a whole by a time of its own. */
	public <T> Mono<T> guard(Mono<T> call, Duration timeout) {
		return call.timeout(timeout)
			.transformDeferred(BulkheadOperator.of(this.bulkhead))
			.transformDeferred(CircuitBreakerOperator.of(this.breaker))
			.onErrorMap(StoreGuard::unavailable);
	}

	public <T> Flux<T> guard(Flux<T> call) {
		return call.timeout(this.timeout)
			.transformDeferred(BulkheadOperator.of(this.bulkhead))
			.transformDeferred(CircuitBreakerOperator.of(this.breaker))
			.onErrorMap(StoreGuard::unavailable);
	}

	private static Throwable unavailable(Throwable error) {
		return (error instanceof StoreUnavailableException || error instanceof TaskException
				|| error instanceof DataRejectedException) ? error : new StoreUnavailableException("store unavailable", error);
	}

}
