package io.eventgateway.gateway.store;

import java.time.Duration;
import java.util.List;

import io.eventgateway.core.store.NewEvent;
import io.eventgateway.gateway.testing.StoreDatabases;
import io.eventgateway.persistence.R2dbcEventStore;
import io.r2dbc.spi.Connection;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An append locks the heads of its rooms in name order. A prune that held several heads at once in
 * another order could deadlock with it, and PostgreSQL then cancels one of the two after a second:
 * seen at 20,000 publishes/s as an append cancelled and its publishes answered unavailable.
 */
class PruneLockOrderIntegrationTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(30);

	private final StoreDatabases databases = new StoreDatabases();

	@AfterEach
	void cleanUp() {
		this.databases.close();
	}

	@Test
	void aPruneByCountNeverHoldsOneHeadWhileWaitingForAnother() throws Exception {
		StoreDatabases.Database database = this.databases.create("postgresql");
		R2dbcEventStore store = new R2dbcEventStore(database.pool(), database.scheduler(), database.epoch());
		// "b" first: its head row comes first in the table, so a scan meets it before "a".
		store.append(List.of(event("b"), event("b"), event("b"))).block(TIMEOUT);
		store.append(List.of(event("a"), event("a"), event("a"))).block(TIMEOUT);

		// An append in name order: it holds "a" and will want "b".
		Connection append = Mono.from(database.pool().create()).block(TIMEOUT);
		try {
			Mono.from(append.beginTransaction()).block(TIMEOUT);
			execute(append, "UPDATE room_heads SET seq = seq WHERE room = 'a'");
			var prune = store.prune(0, 1).toFuture();
			Thread.sleep(300);
			// The prune has marked "b" (and let it go) and waits for "a"; before, it held "b" meanwhile.
			execute(append, "UPDATE room_heads SET seq = seq WHERE room = 'b'");
			Mono.from(append.commitTransaction()).block(TIMEOUT);
			assertThat(prune.get()).as("the older events of both rooms pruned").isEqualTo(4);
		}
		finally {
			Mono.from(append.close()).block(TIMEOUT);
		}
	}

	private static NewEvent event(String room) {
		return new NewEvent(room, "e", "{}", System.currentTimeMillis());
	}

	private static void execute(Connection connection, String sql) {
		Flux.from(connection.createStatement(sql).execute()).flatMap(result -> result.getRowsUpdated()).blockLast(TIMEOUT);
	}

}
