package io.eventgateway.loadtest.chaos;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import io.eventgateway.loadtest.client.Tokens;

/**
 * Everything a chaos run starts for itself: a private Redis, a fresh database on the local
 * PostgreSQL reached through a {@link FaultProxy}, and the gateway instances. Closing it (or the
 * JVM exiting) kills every child and drops the database.
 */
final class Testbed implements AutoCloseable {

	final Path directory;

	final PrivateRedis redis;

	final PrivateDatabase database;

	final FaultProxy databaseProxy;

	final List<GatewayInstance> instances = new CopyOnWriteArrayList<>();

	final Tokens tokens;

	private final String secret;

	private final Thread cleanUpOnExit = new Thread(this::close, "chaos-clean-up");

	private boolean closed;

	Testbed(Path directory, String postgres, long seed) throws Exception {
		this.directory = Files.createDirectories(directory);
		Runtime.getRuntime().addShutdownHook(this.cleanUpOnExit);
		byte[] key = new byte[32];
		new SecureRandom().nextBytes(key);
		this.secret = HexFormat.of().formatHex(key);
		this.tokens = new Tokens(this.secret);
		this.redis = new PrivateRedis(this.directory);
		this.redis.start();
		this.database = new PrivateDatabase(postgres, "chaos_" + Long.toUnsignedString(seed, 36) + "_" + ProcessHandle.current().pid());
		this.database.create();
		this.databaseProxy = new FaultProxy(this.database.address());
	}

	/** Starts {@code count} instances at once and waits until each is ready. */
	void startInstances(int count, Path jar, String heap, List<String> properties) {
		Map<String, String> environment = Map.of("GATEWAY_AUTH_JWT_SECRET", this.secret,
				"GATEWAY_DATABASE_URL", "r2dbc:postgresql://postgres@" + this.databaseProxy.address() + "/" + this.database.name(),
				"GATEWAY_REDIS_URL", this.redis.url());
		List<GatewayInstance> started = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			started.add(GatewayInstance.start("gateway-" + (this.instances.size() + i + 1), jar, this.directory, heap, environment, properties));
		}
		this.instances.addAll(started);
		started.forEach(GatewayInstance::awaitReady);
	}

	List<GatewayInstance> live() {
		return this.instances.stream().filter(GatewayInstance::isAlive).toList();
	}

	@Override
	public synchronized void close() {
		if (this.closed) {
			return;
		}
		this.closed = true;
		this.instances.forEach(GatewayInstance::close);
		this.databaseProxy.close();
		try {
			this.database.close();
		}
		finally {
			this.redis.close();
		}
		try {
			Runtime.getRuntime().removeShutdownHook(this.cleanUpOnExit);
		}
		catch (IllegalStateException exiting) {
			// Already running as the hook.
		}
	}

}
