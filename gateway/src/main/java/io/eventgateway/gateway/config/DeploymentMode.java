package io.eventgateway.gateway.config;

/**
 * How this instance runs, derived in one place from the two URLs it may be given, so that no part of
 * the gateway decides it by a rule of its own.
 */
public enum DeploymentMode {

	/** No database, no Redis: an in-process H2 store and broker, for development. */
	EMBEDDED,

	/** A database (PostgreSQL), no Redis: one instance with durable storage. */
	DATABASE,

	/** A database and Redis: instances that share the store and sync over Redis pub/sub. */
	CLUSTER;

	/** The mode these settings ask for; a blank URL counts as unset (start-up refuses it anyway). */
	public static DeploymentMode of(String databaseUrl, String redisUrl) {
		if (isSet(redisUrl)) {
			return CLUSTER;
		}
		return isSet(databaseUrl) ? DATABASE : EMBEDDED;
	}

	private static boolean isSet(String url) {
		return url != null && !url.isBlank();
	}

}
