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

	/** The pub/sub channel of a room's events. */
	public String roomChannel(String room) {
		return this.prefix + ":room:{" + room + "}";
	}

	/** The channel pattern matching every room channel of this prefix. */
	public String roomChannelPrefix() {
		return this.prefix + ":room:{";
	}

}
