package io.eventgateway.persistence;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

import io.r2dbc.pool.ConnectionPool;
import io.r2dbc.pool.ConnectionPoolConfiguration;
import io.r2dbc.spi.ConnectionFactories;
import io.r2dbc.spi.ConnectionFactoryOptions;
import io.r2dbc.spi.Option;

/** Builds the pooled connection factory and the matching JDBC data source (for migrations) from an R2DBC URL. */
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
			// A transaction left open by an instance whose host died (no FIN, no RST) would hold its
			// rooms' head locks until TCP gave up, hours later: the server ends it instead, and
			// keep-alives find the dead peer.
			options = options.mutate()
				.option(Option.valueOf("statementTimeout"), statementTimeout)
				.option(Option.valueOf("tcpKeepAlive"), true)
				.option(Option.valueOf("options"), Map.of("idle_in_transaction_session_timeout",
						idleInTransactionTimeout(statementTimeout).toMillis() + "ms"))
				.build();
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

	/** Twice the statement timeout: no transaction of the store waits longer between two statements. */
	static Duration idleInTransactionTimeout(Duration statementTimeout) {
		return statementTimeout.multipliedBy(2);
	}

	/**
	 * A JDBC data source for the same database as the R2DBC URL, with the same user and the same TLS
	 * settings ({@code r2dbcs:}, {@code ssl}, {@code sslMode}, {@code sslRootCert}, {@code sslCert},
	 * {@code sslKey}, {@code sslPassword}), schema, application name and connect timeout: migrations
	 * must not reach the database less safely than the store does. Its URL holds no credential, so
	 * no driver message can quote one.
	 */
	public static MigrationDataSource migrationDataSource(String r2dbcUrl) {
		ConnectionFactoryOptions options = ConnectionFactoryOptions.parse(r2dbcUrl);
		String driver = String.valueOf(options.getRequiredValue(ConnectionFactoryOptions.DRIVER));
		Properties properties = new Properties();
		put(properties, "user", options, ConnectionFactoryOptions.USER);
		put(properties, "password", options, ConnectionFactoryOptions.PASSWORD);
		Object database = options.getValue(ConnectionFactoryOptions.DATABASE);
		return switch (driver) {
			case "h2" -> {
				Object extra = options.getValue(Option.valueOf("options"));
				yield new MigrationDataSource(new org.h2.Driver(), "jdbc:h2:"
						+ options.getRequiredValue(ConnectionFactoryOptions.PROTOCOL) + ":" + database
						+ (extra == null ? "" : ";" + extra), properties);
			}
			case "postgresql" -> {
				postgresqlProperties(options, properties);
				yield new MigrationDataSource(new org.postgresql.Driver(), "jdbc:postgresql://" + server(options), properties);
			}
			default -> throw new IllegalArgumentException("unsupported database driver '" + driver + "' in "
					+ describe(r2dbcUrl) + ": use r2dbc:postgresql://");
		};
	}

	private static void postgresqlProperties(ConnectionFactoryOptions options, Properties properties) {
		String sslMode = text(options, Option.valueOf("sslMode"));
		boolean ssl = Boolean.parseBoolean(text(options, ConnectionFactoryOptions.SSL));
		// The R2DBC driver's default is no TLS, the JDBC driver's is "prefer": say which, always.
		properties.setProperty("sslmode", (sslMode != null) ? sslMode.toLowerCase(Locale.ROOT).replace('_', '-')
				: ssl ? "verify-full" : "disable");
		put(properties, "sslrootcert", options, Option.valueOf("sslRootCert"));
		put(properties, "sslcert", options, Option.valueOf("sslCert"));
		put(properties, "sslkey", options, Option.valueOf("sslKey"));
		put(properties, "sslpassword", options, Option.valueOf("sslPassword"));
		put(properties, "currentSchema", options, Option.valueOf("currentSchema"));
		put(properties, "currentSchema", options, Option.valueOf("schema"));
		put(properties, "ApplicationName", options, Option.valueOf("applicationName"));
		Object connectTimeout = options.getValue(ConnectionFactoryOptions.CONNECT_TIMEOUT);
		if (connectTimeout != null) {
			Duration timeout = (connectTimeout instanceof Duration duration) ? duration
					: Duration.parse(connectTimeout.toString());
			properties.setProperty("connectTimeout", Long.toString(Math.max(1, timeout.toSeconds())));
		}
	}

	private static void put(Properties properties, String name, ConnectionFactoryOptions options, Option<?> option) {
		String value = text(options, option);
		if (value != null) {
			properties.setProperty(name, value);
		}
	}

	/** The URL as it may be logged: driver, host, port and database, no user, password or options. */
	public static String describe(String r2dbcUrl) {
		ConnectionFactoryOptions options = ConnectionFactoryOptions.parse(r2dbcUrl);
		if (isEmbedded(r2dbcUrl)) {
			return "embedded H2";
		}
		return options.getValue(ConnectionFactoryOptions.DRIVER) + "://" + server(options);
	}

	/** {@code host[:port]/database}: where the database is, with no credential or option. */
	private static String server(ConnectionFactoryOptions options) {
		Object port = options.getValue(ConnectionFactoryOptions.PORT);
		Object database = options.getValue(ConnectionFactoryOptions.DATABASE);
		return options.getRequiredValue(ConnectionFactoryOptions.HOST) + (port == null ? "" : ":" + port) + "/"
				+ (database == null ? "" : database);
	}

	private static String text(ConnectionFactoryOptions options, Option<?> option) {
		Object value = options.getValue(option);
		return (value == null) ? null : value.toString();
	}

}
