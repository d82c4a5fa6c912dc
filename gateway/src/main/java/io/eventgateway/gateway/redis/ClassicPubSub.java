package io.eventgateway.gateway.redis;

import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.pubsub.api.reactive.ChannelMessage;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Classic pub/sub on one server (or the master Sentinel names): {@code SUBSCRIBE} on one
 * connection, {@code PUBLISH} reaches every subscriber of the channel.
 */
public final class ClassicPubSub implements RedisPubSub {

	private final StatefulRedisPubSubConnection<String, String> connection;

	public ClassicPubSub(StatefulRedisPubSubConnection<String, String> connection) {
		this.connection = connection;
	}

	@Override
	public Mono<Void> subscribe(String... channels) {
		return this.connection.reactive().subscribe(channels);
	}

	@Override
	public Mono<Void> unsubscribe(String... channels) {
		return this.connection.reactive().unsubscribe(channels);
	}

	/** Lettuce subscribes the connection's channels again when it reconnects. */
	@Override
	public Mono<Void> resubscribe() {
		return Mono.empty();
	}

	@Override
	public Flux<ChannelMessage<String, String>> messages() {
		return this.connection.reactive().observeChannels();
	}

	@Override
	public boolean carries(RedisChannelHandler<?, ?> connection) {
		return connection == this.connection;
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
