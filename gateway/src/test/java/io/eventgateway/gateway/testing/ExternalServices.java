package io.eventgateway.gateway.testing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.postgresql.PostgreSQLContainer;

/**
 * PostgreSQL and Redis for integration tests: containers where a Docker engine runs, otherwise the
 * local services (overridable with {@code GATEWAY_TEST_POSTGRES} as {@code host:port} and
 * {@code GATEWAY_TEST_REDIS_URL}). Each test gets its own database and its own Redis key prefix, and
 * drops the database afterwards.
 */
public final class ExternalServices {

	private static final boolean DOCKER = dockerAvailable();

	private static PostgreSQLContainer postgres;

	private static GenericContainer<?> redis;

	private ExternalServices() {
	}

	/** {@code host:port} of a PostgreSQL server whose user {@code postgres} may create databases. */
	public static synchronized String postgresAddress() {
		if (DOCKER) {
			if (postgres == null) {
				postgres = new PostgreSQLContainer("postgres:16-alpine").withUsername("postgres").withPassword("postgres");
				postgres.start();
			}
			return postgres.getHost() + ":" + postgres.getMappedPort(5432);
		}
		String configured = System.getenv("GATEWAY_TEST_POSTGRES");
		return configured != null ? configured : "127.0.0.1:5432";
	}

	public static synchronized String redisUrl() {
		if (DOCKER) {
			if (redis == null) {
				redis = new GenericContainer<>("redis:7-alpine").withExposedPorts(6379);
				redis.start();
			}
			return "redis://" + redis.getHost() + ":" + redis.getMappedPort(6379);
		}
		String configured = System.getenv("GATEWAY_TEST_REDIS_URL");
		return configured != null ? configured : "redis://127.0.0.1:6379";
	}

	private static String credentials() {
		return DOCKER ? "postgres:postgres@" : "postgres@";
	}

	/** A new, empty database; drop it with {@link #dropDatabase}. */
	public static String createDatabase() {
		String name = "gw_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
		admin("CREATE DATABASE " + name);
		return name;
	}

	public static void dropDatabase(String name) {
		admin("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
	}

	/** The R2DBC URL of a database on the server (or behind a proxy at {@code address}). */
	public static String r2dbcUrl(String address, String database) {
		return "r2dbc:postgresql://" + credentials() + address + "/" + database;
	}

	/** A key prefix of its own, so tests never see each other's channels or keys. */
	public static String redisKeyPrefix() {
		return "gwtest-" + UUID.randomUUID().toString().substring(0, 8);
	}

	/** Removes what a test left under its key prefix (cache entries, rate-limit buckets, presence). */
	public static void deleteRedisKeys(String prefix) {
		io.lettuce.core.RedisClient client = io.lettuce.core.RedisClient.create(redisUrl());
		try (var connection = client.connect()) {
			var commands = connection.sync();
			io.lettuce.core.KeyScanCursor<String> cursor = commands.scan(io.lettuce.core.ScanArgs.Builder.matches(prefix + ":*").limit(500));
			while (true) {
				if (!cursor.getKeys().isEmpty()) {
					commands.del(cursor.getKeys().toArray(String[]::new));
				}
				if (cursor.isFinished()) {
					break;
				}
				cursor = commands.scan(cursor, io.lettuce.core.ScanArgs.Builder.matches(prefix + ":*").limit(500));
			}
		}
		finally {
			client.shutdown();
		}
	}

	private static void admin(String sql) {
		String url = "jdbc:postgresql://" + postgresAddress() + "/postgres";
		try (Connection connection = DriverManager.getConnection(url, "postgres", DOCKER ? "postgres" : null);
				Statement statement = connection.createStatement()) {
			statement.execute(sql);
		}
		catch (SQLException ex) {
			throw new IllegalStateException("PostgreSQL at " + postgresAddress() + ": " + ex.getMessage(), ex);
		}
	}

	private static boolean dockerAvailable() {
		try {
			return DockerClientFactory.instance().isDockerAvailable();
		}
		catch (Throwable ex) {
			return false;
		}
	}

}
