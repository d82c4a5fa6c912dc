package io.eventgateway.gateway.redis;

/**
 * Every Redis key and channel of the gateway, built here and nowhere else. Names carry a prefix (so
 * several deployments or test runs can share a server) and a {@code {…}} hash tag, so that what
 * belongs to one room lands on one Redis Cluster slot.
 */
public final class RedisKeys {

	private final String prefix;

	public RedisKeys(String prefix) {
		this.prefix = prefix;
	}

	/**
	 * The pub/sub channel of a room's events. Its name carries the message format's version: during a
	 * rolling upgrade instances of two formats do not read each other's messages, and every room
	 * catches up from the store instead.
	 */
	public String roomChannel(String room) {
		return this.prefix + ":room.v2:{" + room + "}";
	}

	/** Hash of a room's members: field {@code instance|user}, value the connection count. */
	public String presence(String room) {
		return this.prefix + ":presence:{" + room + "}";
	}

	/** An instance's lease: present while the instance is alive. */
	public String instanceLease(String instanceId) {
		return this.prefix + ":instance:{" + instanceId + "}";
	}

	/** A task in the shared cache: {@code version|seq|epoch|json}. */
	public String task(String id) {
		return this.prefix + ":task:{" + id + "}";
	}

	/** Where task writes tell every instance to drop a task from its local cache. */
	public String taskInvalidations() {
		return this.prefix + ":task-invalidations";
	}

	/** Where instances confirm to a writer that they dropped the task. */
	public String taskInvalidationAcks(String instanceId) {
		return this.prefix + ":task-invalidation-acks:{" + instanceId + "}";
	}

	/** Where an instance sends probes to itself, to check that its subscriber connection delivers. */
	public String probeChannel(String instanceId) {
		return this.prefix + ":probe:{" + instanceId + "}";
	}

	/** A rate-limit bucket (user or client address). */
	public String rateLimit(String key) {
		return this.prefix + ":rate:{" + key + "}";
	}

}
