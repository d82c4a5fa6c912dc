package io.eventgateway.gateway.testing;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
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
 * drops the database afterwards. Neither a container nor a local service: the test fails with a
 * {@link MissingPrerequisite} that says how to get one.
 */
public final class ExternalServices {

	static final String REDIS_IMAGE = "redis:7-alpine";

	private static final boolean DOCKER = detectDocker();

	private static boolean postgresChecked;

	private static boolean redisChecked;

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
		String address = configured != null ? configured : "127.0.0.1:5432";
		if (!postgresChecked) {
			URI uri = URI.create("postgresql://" + address);
			requireListening(uri.getHost(), uri.getPort(), "No PostgreSQL at " + address + " and no Docker engine: start one "
					+ "(apt-get install postgresql; bash .ci/run starts it) or point GATEWAY_TEST_POSTGRES=host:port at one");
			postgresChecked = true;
		}
		return address;
	}

	public static synchronized String redisUrl() {
		if (DOCKER) {
			if (redis == null) {
				redis = new GenericContainer<>(REDIS_IMAGE).withExposedPorts(6379);
				redis.start();
			}
			return "redis://" + redis.getHost() + ":" + redis.getMappedPort(6379);
		}
		String configured = System.getenv("GATEWAY_TEST_REDIS_URL");
		String url = configured != null ? configured : "redis://127.0.0.1:6379";
		if (!redisChecked) {
			URI uri = URI.create(url);
			requireListening(uri.getHost(), uri.getPort() == -1 ? 6379 : uri.getPort(), "No Redis at " + url
					+ " and no Docker engine: start one (apt-get install redis-server; bash .ci/run starts it) "
					+ "or point GATEWAY_TEST_REDIS_URL at one");
			redisChecked = true;
		}
		return url;
	}

	/** Whether the tests' services run in containers. */
	static boolean dockerAvailable() {
		return DOCKER;
	}

	/** Where a container's published ports are reached. */
	static String dockerHost() {
		return DockerClientFactory.instance().dockerHostIpAddress();
	}

	private static void requireListening(String host, int port, String missing) {
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress(host, port), 2000);
		}
		catch (IOException ex) {
			throw new MissingPrerequisite(missing);
		}
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

	private static boolean detectDocker() {
		try {
			return DockerClientFactory.instance().isDockerAvailable();
		}
		catch (Throwable ex) {
			return false;
		}
	}

}
