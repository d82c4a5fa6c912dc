package io.eventgateway.gateway.redis;

import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.pubsub.api.reactive.ChannelMessage;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * One subscriber connection: classic channels on one server ({@link ClassicPubSub}), or shard
 * channels of a Redis Cluster, each held by the master that owns its slot ({@link ShardedPubSub}).
 * Lettuce subscribes again by itself after a reconnection, in both kinds.
 */
public sealed interface RedisPubSub permits ClassicPubSub, ShardedPubSub {

	Mono<Void> subscribe(String... channels);

	Mono<Void> unsubscribe(String... channels);

	/** Every message of the subscribed channels, as long as the connection lives. */
	Flux<ChannelMessage<String, String>> messages();

	/** Whether a connection the client reports on carries this subscriber's channels. */
	boolean carries(RedisChannelHandler<?, ?> connection);

	/** Whether this subscriber's connection is open now. */
	boolean isOpen();

	void close();

	void closeAsync();

}
