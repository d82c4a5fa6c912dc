package io.eventgateway.gateway.redis;

import java.time.Duration;
import java.util.Map;

import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.cluster.api.reactive.RedisClusterReactiveCommands;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Where every Redis-backed part of an instance gets its connections: one server or a Sentinel
 * group ({@link ServerConnections}), or a Redis Cluster ({@link ClusterConnections}). Commands are
 * the same in both; publishing and subscribing differ (classic or sharded pub/sub).
 */
public sealed interface RedisConnections permits ServerConnections, ClusterConnections {

	/** The scheme of a Redis Cluster URL: {@code redis-cluster://host1:port1,host2:port2}. */
	String CLUSTER_SCHEME = "redis-cluster";

	/** The commands connection, shared: on a cluster each key's command goes to the master of its slot. */
	RedisClusterReactiveCommands<String, String> commands();

	/** Publishes on the commands connection; answers how many subscribers received the message. */
	Mono<Long> publish(String channel, String message);

	/**
	 * Publishes each message on its channel, the messages sent together where they go to one server;
	 * completes once every one is answered.
	 */
	Mono<Void> publishAll(Map<String, String> messageByChannel);

	/** A new subscriber connection, connected before this returns. */
	RedisPubSub subscriber();

	/** A new subscriber connection, once connected; given up after {@code timeout}. */
	Mono<RedisPubSub> connectSubscriber(Duration timeout);

	/** Connection state changes of every connection of the client. */
	void addListener(RedisConnectionStateListener listener);

	/**
	 * Signals each time a connection that may carry subscriptions is connected again, after which
	 * Lettuce resubscribes its channels by itself.
	 */
	Flux<Object> reconnections();

	/** Where Redis is, without credentials, for the log. */
	String describe();

	/** Closes the connections and shuts the client down (its resources stay, they are shared). */
	void close();

	static boolean isCluster(String url) {
		return url.startsWith(CLUSTER_SCHEME + "://");
	}

}
