package io.eventgateway.gateway.store;

import java.time.Duration;
import java.util.List;

import io.eventgateway.core.event.RoomEvent;
import io.eventgateway.core.store.EventStore;
import io.eventgateway.core.store.NewEvent;
import io.eventgateway.core.store.RoomPosition;
import io.eventgateway.core.store.StoreUnavailableException;
import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.reactor.bulkhead.operator.BulkheadOperator;
import io.github.resilience4j.reactor.circuitbreaker.operator.CircuitBreakerOperator;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The store as the gateway uses it: every call bounded in time, limited in concurrency (a bulkhead
 * in front of the connection pool) and behind a circuit breaker, so that a database that is down or
 * slow is answered {@code unavailable} at once instead of piling up waiting requests.
 */
public final class ResilientEventStore implements EventStore {

	private final EventStore store;

	private final CircuitBreaker breaker;

	private final Bulkhead bulkhead;

	private final Duration timeout;

	public ResilientEventStore(EventStore store, CircuitBreaker breaker, Bulkhead bulkhead, Duration timeout) {
		this.store = store;
		this.breaker = breaker;
		this.bulkhead = bulkhead;
		this.timeout = timeout;
	}

	@Override
	public Mono<List<RoomEvent>> append(List<NewEvent> batch) {
		return guard(this.store.append(batch));
	}

	@Override
	public Mono<RoomPosition> position(String room) {
		return guard(this.store.position(room));
	}

	@Override
	public Flux<RoomEvent> read(String room, long afterSeq, long upToSeq, int limit) {
		return this.store.read(room, afterSeq, upToSeq, limit)
			.timeout(this.timeout)
			.transformDeferred(BulkheadOperator.of(this.bulkhead))
			.transformDeferred(CircuitBreakerOperator.of(this.breaker))
			.onErrorMap(ResilientEventStore::unavailable);
	}

	@Override
	public Mono<Long> prune(long olderThanMillis, long keepPerRoom) {
		return guard(this.store.prune(olderThanMillis, keepPerRoom));
	}

	private <T> Mono<T> guard(Mono<T> call) {
		return call.timeout(this.timeout)
			.transformDeferred(BulkheadOperator.of(this.bulkhead))
			.transformDeferred(CircuitBreakerOperator.of(this.breaker))
			.onErrorMap(ResilientEventStore::unavailable);
	}

	private static Throwable unavailable(Throwable error) {
		return (error instanceof StoreUnavailableException) ? error
				: new StoreUnavailableException("event store unavailable: " + error.getMessage(), error);
	}

}
