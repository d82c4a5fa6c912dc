package io.eventgateway.persistence;

import org.flywaydb.core.Flyway;

/** Brings the schema up to date over JDBC, once, before the reactive store is used. */
public final class StoreMigrations {

	private StoreMigrations() {
	}

	public static void migrate(String r2dbcUrl) {
		Flyway.configure()
			.dataSource(StoreConnections.migrationDataSource(r2dbcUrl))
			.locations("classpath:db/migration")
			.load()
			.migrate();
	}

}
