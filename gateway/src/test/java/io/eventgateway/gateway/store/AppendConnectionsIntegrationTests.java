package io.eventgateway.gateway.store;

import java.time.Duration;
import java.util.List;

import io.eventgateway.core.event.RoomEvent;
import io.eventgateway.core.store.Appended;
import io.eventgateway.core.store.NewEvent;
import io.eventgateway.gateway.testing.StoreDatabases;
import io.eventgateway.persistence.R2dbcEventStore;
import io.r2dbc.pool.ConnectionPool;
import io.r2dbc.spi.Connection;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * On PostgreSQL the store keeps connections of the pool for its appends instead of giving each back
 * after its batch; one that breaks is replaced, not kept, and closing the store gives them back.
 */
class AppendConnectionsIntegrationTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(30);

	private static final int KEPT = 2;

	private final StoreDatabases databases = new StoreDatabases();

	@AfterEach
	void cleanUp() {
		this.databases.close();
	}

	@Test
	void appendsKeepAtMostTheirConnectionsAndCloseGivesThemBack() {
		StoreDatabases.Database database = this.databases.create("postgresql");
		ConnectionPool pool = database.pool();
		R2dbcEventStore store = store(database);

		for (int i = 0; i < 5; i++) {
			store.append(List.of(event("a"))).block(TIMEOUT);
		}
		assertThat(acquired(pool)).as("one batch at a time keeps one connection").isEqualTo(1);

		List<Appended> concurrent = Flux.range(0, 40)
			.flatMap(i -> store.append(List.of(event("a"), event("b"))), 8)
			.flatMapIterable(batch -> batch)
			.collectList()
			.block(TIMEOUT);
		assertThat(concurrent).hasSize(80);
		assertThat(acquired(pool)).as("eight batches at once keep no more than " + KEPT).isBetween(1, KEPT);
		assertThat(seqs(store, "a")).as("every append stored once, numbered without a gap")
			.containsExactlyElementsOf(range(1, 45));
		assertThat(seqs(store, "b")).containsExactlyElementsOf(range(1, 40));

		store.close();
		assertThat(acquired(pool)).as("closed: every kept connection is back in the pool").isZero();
	}

	@Test
	void withNoneToKeepEveryBatchBorrowsAConnectionAndGivesItBack() {
		StoreDatabases.Database database = this.databases.create("postgresql");
		R2dbcEventStore store = new R2dbcEventStore(database.pool(), database.scheduler(), database.epoch(),
				Duration.ofHours(6), System::currentTimeMillis, 0);
		Flux.range(0, 10).flatMap(i -> store.append(List.of(event("a"))), 4).blockLast(TIMEOUT);
		assertThat(acquired(database.pool())).as("a pool of one keeps nothing for appends").isZero();
		assertThat(seqs(store, "a")).containsExactlyElementsOf(range(1, 10));
		store.close();
	}

	@Test
	void aKeptConnectionTheDatabaseClosedIsReplacedBeforeABatchMeetsIt() throws InterruptedException {
		StoreDatabases.Database database = this.databases.create("postgresql");
		R2dbcEventStore store = store(database);
		store.append(List.of(event("a"))).block(TIMEOUT);

		terminateOtherBackends(database.pool());
		// The client reads the server's goodbye on its own loop.
		Thread.sleep(300);

		for (int i = 0; i < 5; i++) {
			store.append(List.of(event("a"))).block(TIMEOUT);
		}
		assertThat(seqs(store, "a")).as("every append stored, without a gap").containsExactlyElementsOf(range(1, 6));
		store.close();
	}

	@Test
	void aBatchThatMeetsABrokenConnectionFailsAloneAndTheConnectionIsNotKept() {
		StoreDatabases.Database database = this.databases.create("postgresql");
		R2dbcEventStore store = store(database);
		store.append(List.of(event("a"))).block(TIMEOUT);

		// No wait: the next batch may still find the connection open and fail on it.
		terminateOtherBackends(database.pool());
		int failed = 0;
		for (int i = 0; i < 5; i++) {
			try {
				store.append(List.of(event("a"))).block(TIMEOUT);
			}
			catch (RuntimeException error) {
				failed++;
			}
		}
		assertThat(failed).as("at most the batch that met the broken connection fails").isLessThanOrEqualTo(1);
		assertThat(seqs(store, "a")).as("the appends after it stored, without a gap")
			.containsExactlyElementsOf(range(1, 6 - failed));
		store.close();
	}

	private static R2dbcEventStore store(StoreDatabases.Database database) {
		return new R2dbcEventStore(database.pool(), database.scheduler(), database.epoch(), Duration.ofHours(6),
				System::currentTimeMillis, KEPT);
	}

	private static int acquired(ConnectionPool pool) {
		return pool.getMetrics().orElseThrow().acquiredSize();
	}

	private static List<Long> seqs(R2dbcEventStore store, String room) {
		return store.read(room, 0, Long.MAX_VALUE, 1000).map(RoomEvent::seq).collectList().block(TIMEOUT);
	}

	private static List<Long> range(long first, long last) {
		return java.util.stream.LongStream.rangeClosed(first, last).boxed().toList();
	}

	/** As a database restart would: every connection to the database but this one is ended, and gone once this returns. */
	private static void terminateOtherBackends(ConnectionPool pool) {
		Connection admin = Mono.from(pool.create()).block(TIMEOUT);
		try {
			Flux.from(admin.createStatement("""
					SELECT pg_terminate_backend(pid) FROM pg_stat_activity
					WHERE datname = current_database() AND pid <> pg_backend_pid()""").execute())
				.flatMap(result -> result.map((row, metadata) -> row.get(0)))
				.blockLast(TIMEOUT);
			// pg_terminate_backend only signals: wait until the backends have exited.
			Mono.defer(() -> Flux.from(admin.createStatement(
					"SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()").execute())
				.flatMap(result -> result.map((row, metadata) -> row.get(0, Long.class)))
				.next())
				.filter(others -> others == 0)
				.repeatWhenEmpty(50, attempts -> attempts.delayElements(Duration.ofMillis(100)))
				.block(TIMEOUT);
		}
		finally {
			Mono.from(admin.close()).block(TIMEOUT);
		}
	}

	private static NewEvent event(String room) {
		return new NewEvent(room, "e", "{\"n\":1}", System.currentTimeMillis());
	}

}
