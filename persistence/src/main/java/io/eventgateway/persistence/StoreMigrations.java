package io.eventgateway.persistence;

import io.r2dbc.spi.ConnectionFactoryOptions;
import org.flywaydb.core.Flyway;

/** Brings the schema up to date over JDBC, once, before the reactive store is used. */
public final class StoreMigrations {

	private StoreMigrations() {
	}

	public static void migrate(String r2dbcUrl) {
		Object vendor = ConnectionFactoryOptions.parse(r2dbcUrl).getValue(ConnectionFactoryOptions.DRIVER);
		Flyway.configure()
			.dataSource(StoreConnections.migrationDataSource(r2dbcUrl))
			// The shared migrations, and beside them each database's own (version numbers shared).
			.locations("classpath:db/migration", "classpath:db/migration-" + vendor)
			.load()
			.migrate();
	}

}
