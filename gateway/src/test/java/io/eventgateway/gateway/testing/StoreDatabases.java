package io.eventgateway.gateway.testing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import io.eventgateway.persistence.StoreConnections;
import io.eventgateway.persistence.StoreLineage;
import io.eventgateway.persistence.StoreMigrations;
import io.r2dbc.pool.ConnectionPool;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * Fresh, migrated store databases for contract tests: embedded H2 ({@code "h2"}) or a database of
 * its own on PostgreSQL ({@code "postgresql"}); {@link #close()} drops what was made.
 */
public final class StoreDatabases implements AutoCloseable {

	private final List<Runnable> cleanup = new ArrayList<>();

	/** A migrated database's connection pool, where its statements must be started, and its lineage. */
	public record Database(ConnectionPool pool, Scheduler scheduler, String epoch) {
	}

	public Database create(String kind) {
		String url;
		Scheduler scheduler;
		if (kind.equals("h2")) {
			url = "r2dbc:h2:mem:///contract-" + UUID.randomUUID() + "?options=DB_CLOSE_DELAY=-1;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE";
			// The H2 driver may block the subscribing thread.
			scheduler = Schedulers.boundedElastic();
		}
		else {
			String database = ExternalServices.createDatabase();
			this.cleanup.add(() -> ExternalServices.dropDatabase(database));
			url = ExternalServices.r2dbcUrl(ExternalServices.postgresAddress(), database);
			scheduler = Schedulers.immediate();
		}
		StoreMigrations.migrate(url);
		ConnectionPool pool = StoreConnections.pool(url, 1, 10, Duration.ofSeconds(5), Duration.ofSeconds(5));
		this.cleanup.add(0, pool::dispose);
		return new Database(pool, scheduler, StoreLineage.read(pool, scheduler).block(Duration.ofSeconds(30)).epoch());
	}

	@Override
	public void close() {
		this.cleanup.forEach(Runnable::run);
		this.cleanup.clear();
	}

}
