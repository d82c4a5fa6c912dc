package io.eventgateway.gateway.testing;

import java.util.ArrayList;
import java.util.List;

/**
 * Two gateways in this JVM on one PostgreSQL database and one Redis key prefix of their own, acting
 * as one cluster; closing it stops both and removes the database and the keys. The periodic
 * catch-up from the store is out of the way ({@link #NO_PERIODIC_CATCH_UP}): what reaches the other
 * instance came through Redis.
 */
public final class TwoInstanceCluster implements AutoCloseable {

	/**
	 * The periodic catch-up from the store moved out of any test's time: it would deliver within
	 * seconds what Redis lost, so a test with it cannot tell that Redis delivers. The catch-ups meant
	 * for recovery (after a reconnection, after a probe that did not come back) stay.
	 */
	public static final String NO_PERIODIC_CATCH_UP = "gateway.redis.catch-up-interval=1d";

	private final String database;

	private final String prefix;

	private final List<GatewayInstance> instances = new ArrayList<>(2);

	private TwoInstanceCluster(String database, String prefix) {
		this.database = database;
		this.prefix = prefix;
	}

	/** Starts both instances with the cluster's settings and these {@code name=value} properties. */
	public static TwoInstanceCluster start(String... properties) {
		TwoInstanceCluster cluster = new TwoInstanceCluster(ExternalServices.createDatabase(),
				ExternalServices.redisKeyPrefix());
		List<String> all = new ArrayList<>(List.of(
				"gateway.database.url=" + ExternalServices.r2dbcUrl(ExternalServices.postgresAddress(), cluster.database),
				"gateway.redis.url=" + ExternalServices.redisUrl(), "gateway.redis.key-prefix=" + cluster.prefix,
				NO_PERIODIC_CATCH_UP));
		all.addAll(List.of(properties));
		try {
			for (int i = 0; i < 2; i++) {
				cluster.instances.add(GatewayInstance.start(all.toArray(String[]::new)));
			}
		}
		catch (RuntimeException ex) {
			cluster.close();
			throw ex;
		}
		return cluster;
	}

	public GatewayInstance a() {
		return this.instances.get(0);
	}

	public GatewayInstance b() {
		return this.instances.get(1);
	}

	@Override
	public void close() {
		this.instances.forEach(GatewayInstance::close);
		ExternalServices.dropDatabase(this.database);
		ExternalServices.deleteRedisKeys(this.prefix);
	}

}
