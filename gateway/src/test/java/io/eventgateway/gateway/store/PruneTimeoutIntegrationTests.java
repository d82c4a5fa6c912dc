package io.eventgateway.gateway.store;

import java.time.Duration;
import java.util.stream.IntStream;

import io.eventgateway.core.store.EventStore;
import io.eventgateway.core.store.NewEvent;
import io.eventgateway.gateway.testing.StoreDatabases;
import io.eventgateway.persistence.R2dbcEventStore;
import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A prune is many statements, each short: the whole of it must not be held to the timeout of one
 * statement. It was: a backlog that took longer than the statement timeout to delete failed every
 * prune as "store unavailable", counted against the breaker the publishes go through, and grew.
 */
class PruneTimeoutIntegrationTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(30);

	private final StoreDatabases databases = new StoreDatabases();

	@AfterEach
	void cleanUp() {
		this.databases.close();
	}

	@Test
	void aPruneLongerThanOneStatementsTimeoutCompletesAndLeavesTheBreakerClosed() {
		StoreDatabases.Database database = this.databases.create("h2");
		CircuitBreaker breaker = CircuitBreaker.ofDefaults("event-store");
		Duration statementTimeout = Duration.ofMillis(10);
		R2dbcEventStore events = new R2dbcEventStore(database.pool(), database.scheduler(), database.epoch());
		EventStore store = new ResilientEventStore(events, new StoreGuard(breaker, Bulkhead.ofDefaults("store"), statementTimeout),
				Duration.ofMinutes(1));
		for (int batch = 0; batch < 8; batch++) {
			events.append(IntStream.range(0, 250).mapToObj(i -> new NewEvent("backlog", "e", "{}", 1_000)).toList()).block(TIMEOUT);
		}

		// 1,900 events in two chunks of 1,000 with a 20 ms pause after each: longer than the 10 ms of one statement.
		long started = System.nanoTime();
		long removed = store.prune(500, 100).block(TIMEOUT);

		assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThan(statementTimeout);
		assertThat(removed).isEqualTo(1_900);
		assertThat(breaker.getMetrics().getNumberOfFailedCalls()).isZero();
	}

}
