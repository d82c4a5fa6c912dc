package io.eventgateway.gateway.redis;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.cluster.pubsub.StatefulRedisClusterPubSubConnection;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.pubsub.api.reactive.ChannelMessage;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;

/**
 * Sharded pub/sub of a Redis Cluster: {@code SSUBSCRIBE} is sent to the master that owns the
 * channel's slot (Lettuce keeps a connection per node) and {@code SPUBLISH} stays on that shard,
 * instead of every message crossing the cluster bus to every node. Shard messages are read by a
 * listener of this class's own ({@link #messages()}).
 */
public final class ShardedPubSub implements RedisPubSub {

	private static final int RESUBSCRIBE_ATTEMPTS = 5;

	private static final Duration RESUBSCRIBE_BACKOFF = Duration.ofMillis(200);

	private final StatefulRedisClusterPubSubConnection<String, String> connection;

	/** The channels subscribed, to subscribe again after a node's connection came back. */
	private final Set<String> channels = ConcurrentHashMap.newKeySet();

	public ShardedPubSub(StatefulRedisClusterPubSubConnection<String, String> connection) {
		this.connection = connection;
		// The subscriptions live on the per-node connections: without this, only messages of the
		// node this connection itself is on would reach its listeners.
		connection.setNodeMessagePropagation(true);
	}

	/** One command per channel: Redis refuses a shard subscription to channels of several slots. */
	@Override
	public Mono<Void> subscribe(String... channels) {
		return Flux.fromArray(channels)
			.flatMap(channel -> this.connection.reactive()
				.ssubscribe(channel)
				.then(Mono.fromRunnable(() -> this.channels.add(channel))))
			.then();
	}

	@Override
	public Mono<Void> unsubscribe(String... channels) {
		return Flux.fromArray(channels).flatMap(channel -> {
			this.channels.remove(channel);
			return this.connection.reactive().sunsubscribe(channel);
		}).then();
	}

	/**
	 * Lettuce subscribes a node connection's shard channels again in one command when it
	 * reconnects, which Redis refuses ({@code CROSSSLOT}) as soon as they are of several slots:
	 * each is subscribed again here, one command each (a channel already subscribed stays so). The
	 * connection of another node may still be on its way back: a few attempts, then the error.
	 */
	@Override
	public Mono<Void> resubscribe() {
		return Flux.defer(() -> Flux.fromIterable(List.copyOf(this.channels)))
			.flatMap(channel -> this.connection.reactive().ssubscribe(channel))
			.then()
			.retryWhen(Retry.backoff(RESUBSCRIBE_ATTEMPTS, RESUBSCRIBE_BACKOFF));
	}

	/**
	 * From a listener of its own: Lettuce's {@code observeChannels()} does not see shard messages
	 * that come from the per-node connections.
	 */
	@Override
	public Flux<ChannelMessage<String, String>> messages() {
		return Flux.create(sink -> {
			RedisPubSubAdapter<String, String> listener = new RedisPubSubAdapter<>() {

				@Override
				public void smessage(String channel, String message) {
					sink.next(new ChannelMessage<>(channel, message));
				}

			};
			this.connection.addListener(listener);
			sink.onDispose(() -> this.connection.removeListener(listener));
		});
	}

	/**
	 * The per-node connections that hold the shard subscriptions are not exposed: any pub/sub
	 * connection of the client counts, which errs on the side of thinking a subscription down.
	 */
	@Override
	public boolean carries(RedisChannelHandler<?, ?> connection) {
		return connection == this.connection || connection instanceof StatefulRedisPubSubConnection<?, ?>;
	}

	@Override
	public boolean isOpen() {
		return this.connection.isOpen();
	}

	@Override
	public void close() {
		this.connection.close();
	}

	@Override
	public void closeAsync() {
		this.connection.closeAsync();
	}

}
