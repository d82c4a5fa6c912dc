package io.eventgateway.persistence;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;

import io.r2dbc.spi.ConnectionFactoryOptions;
import org.flywaydb.core.Flyway;

/**
 * Brings the schema up to date over JDBC, once, before the reactive store is used; on PostgreSQL
 * it also creates the event partitions the next appends need ({@link EventPartitions}).
 */
public final class StoreMigrations {

	/** The partition width of {@code gateway.history.partition-width} when none is given. */
	public static final Duration DEFAULT_PARTITION_WIDTH = Duration.ofHours(1);

	private StoreMigrations() {
	}

	public static void migrate(String r2dbcUrl) {
		migrate(r2dbcUrl, DEFAULT_PARTITION_WIDTH);
	}

	public static void migrate(String r2dbcUrl, Duration partitionWidth) {
		String vendor = String.valueOf(ConnectionFactoryOptions.parse(r2dbcUrl).getValue(ConnectionFactoryOptions.DRIVER));
		MigrationDataSource dataSource = StoreConnections.migrationDataSource(r2dbcUrl);
		// Shared migrations first; a vendor's own (PostgreSQL's partitioning) beside them.
		Flyway.configure()
			.dataSource(dataSource)
			.locations("classpath:db/migration", "classpath:db/migration-" + vendor)
			.load()
			.migrate();
		if ("postgresql".equals(vendor)) {
			try (Connection connection = dataSource.getConnection();
					PreparedStatement prepare = connection.prepareStatement(EventPartitions.PREPARE)) {
				prepare.setLong(1, System.currentTimeMillis());
				prepare.setLong(2, partitionWidth.toMillis());
				prepare.setInt(3, EventPartitions.AHEAD);
				prepare.execute();
			}
			catch (SQLException ex) {
				throw new IllegalStateException("cannot create the event partitions: " + ex.getMessage(), ex);
			}
		}
	}

}
