package io.eventgateway.gateway.redis;

import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.pubsub.api.reactive.ChannelMessage;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * One subscriber connection: classic channels on one server ({@link ClassicPubSub}), or shard
 * channels of a Redis Cluster, each held by the master that owns its slot ({@link ShardedPubSub}).
 * Lettuce subscribes again by itself after a reconnection; on a cluster it cannot always
 * ({@link #resubscribe()}).
 */
public sealed interface RedisPubSub permits ClassicPubSub, ShardedPubSub {

	Mono<Void> subscribe(String... channels);

	Mono<Void> unsubscribe(String... channels);

	/** Every message of the subscribed channels, as long as the connection lives. */
	Flux<ChannelMessage<String, String>> messages();

	/**
	 * Subscribes again what this subscriber holds, after a connection of the client came back:
	 * nothing to do on one server, where Lettuce does it.
	 */
	Mono<Void> resubscribe();

	/** Whether a connection the client reports on carries this subscriber's channels. */
	boolean carries(RedisChannelHandler<?, ?> connection);

	/** Whether this subscriber's connection is open now. */
	boolean isOpen();

	void close();

	void closeAsync();

}
