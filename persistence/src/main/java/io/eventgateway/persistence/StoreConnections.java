package io.eventgateway.persistence;

import java.time.Duration;

import io.r2dbc.pool.ConnectionPool;
import io.r2dbc.pool.ConnectionPoolConfiguration;
import io.r2dbc.spi.ConnectionFactories;
import io.r2dbc.spi.ConnectionFactoryOptions;
import io.r2dbc.spi.Option;

/** Builds the pooled connection factory and the matching JDBC URL (for migrations) from an R2DBC URL. */
public final class StoreConnections {

	private StoreConnections() {
	}

	/** Whether the URL names an embedded H2 database, whose driver blocks the calling thread. */
	public static boolean isEmbedded(String r2dbcUrl) {
		return "h2".equals(ConnectionFactoryOptions.parse(r2dbcUrl).getValue(ConnectionFactoryOptions.DRIVER));
	}

	/**
	 * @param statementTimeout the server cancels a statement running longer (PostgreSQL only)
	 */
	public static ConnectionPool pool(String r2dbcUrl, int minIdle, int maxSize, Duration acquireTimeout,
			Duration statementTimeout) {
		ConnectionFactoryOptions options = ConnectionFactoryOptions.parse(r2dbcUrl);
		if ("postgresql".equals(options.getValue(ConnectionFactoryOptions.DRIVER))) {
			options = options.mutate().option(Option.valueOf("statementTimeout"), statementTimeout).build();
		}
		ConnectionPoolConfiguration configuration = ConnectionPoolConfiguration
			.builder(ConnectionFactories.get(options))
			.name("gateway-store")
			.initialSize(minIdle)
			.minIdle(minIdle)
			.maxSize(maxSize)
			.maxAcquireTime(acquireTimeout)
			.build();
		return new ConnectionPool(configuration);
	}

	/** The JDBC URL naming the same database as the R2DBC URL. */
	public static String jdbcUrl(String r2dbcUrl) {
		ConnectionFactoryOptions options = ConnectionFactoryOptions.parse(r2dbcUrl);
		String driver = String.valueOf(options.getRequiredValue(ConnectionFactoryOptions.DRIVER));
		Object database = options.getValue(ConnectionFactoryOptions.DATABASE);
		return switch (driver) {
			case "h2" -> {
				Object extra = options.getValue(Option.valueOf("options"));
				yield "jdbc:h2:" + options.getRequiredValue(ConnectionFactoryOptions.PROTOCOL) + ":" + database
						+ (extra == null ? "" : ";" + extra);
			}
			case "postgresql" -> {
				Object port = options.getValue(ConnectionFactoryOptions.PORT);
				yield "jdbc:postgresql://" + options.getRequiredValue(ConnectionFactoryOptions.HOST)
						+ (port == null ? "" : ":" + port) + "/" + (database == null ? "" : database);
			}
			default -> throw new IllegalArgumentException("unsupported database driver '" + driver + "' in " + r2dbcUrl);
		};
	}

	public static String user(String r2dbcUrl) {
		Object user = ConnectionFactoryOptions.parse(r2dbcUrl).getValue(ConnectionFactoryOptions.USER);
		return user == null ? null : user.toString();
	}

	public static String password(String r2dbcUrl) {
		Object password = ConnectionFactoryOptions.parse(r2dbcUrl).getValue(ConnectionFactoryOptions.PASSWORD);
		return password == null ? null : password.toString();
	}

}
