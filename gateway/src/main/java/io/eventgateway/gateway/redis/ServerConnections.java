package io.eventgateway.gateway.redis;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.ConnectionFuture;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.cluster.api.reactive.RedisClusterReactiveCommands;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.event.connection.ConnectionActivatedEvent;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.resource.ClientResources;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** One Redis server, or the master a Sentinel group names: classic pub/sub. */
public final class ServerConnections implements RedisConnections {

	private final RedisClient client;

	private final RedisURI uri;

	private final StatefulRedisConnection<String, String> commands;

	/**
	 * The connection of {@link #publishAll}: it sends its commands when flushed, so the messages of a
	 * batch leave in one write, not one write each; only publishers that flush use it.
	 */
	private final StatefulRedisConnection<String, String> publishing;

	/** Connects the commands connections at once: a gateway configured for Redis does not start without them. */
	public ServerConnections(ClientResources resources, RedisURI uri, ClientOptions options) {
		this.uri = uri;
		this.client = RedisClient.create(resources, uri);
		this.client.setOptions(options);
		this.commands = this.client.connect(uri);
		this.publishing = this.client.connect(uri);
		this.publishing.setAutoFlushCommands(false);
	}

	@Override
	public RedisClusterReactiveCommands<String, String> commands() {
		return this.commands.reactive();
	}

	@Override
	public Mono<Long> publish(String channel, String message) {
		return this.commands.reactive().publish(channel, message);
	}

	@Override
	public Mono<Void> publishAll(Map<String, String> messageByChannel) {
		return Mono.defer(() -> {
			RedisAsyncCommands<String, String> publishing = this.publishing.async();
			CompletableFuture<?>[] answers = new CompletableFuture<?>[messageByChannel.size()];
			int index = 0;
			for (Map.Entry<String, String> message : messageByChannel.entrySet()) {
				answers[index++] = publishing.publish(message.getKey(), message.getValue()).toCompletableFuture();
			}
			// Flushes whatever another thread queued meanwhile too: every publisher flushes after queuing.
			this.publishing.flushCommands();
			return Mono.fromFuture(CompletableFuture.allOf(answers));
		});
	}

	@Override
	public RedisPubSub subscriber() {
		return new ClassicPubSub(this.client.connectPubSub(this.uri));
	}

	@Override
	public Mono<RedisPubSub> connectSubscriber(Duration timeout) {
		return Mono.defer(() -> {
			ConnectionFuture<StatefulRedisPubSubConnection<String, String>> connecting = this.client
				.connectPubSubAsync(StringCodec.UTF8, this.uri);
			return Mono.fromCompletionStage(connecting)
				.timeout(timeout)
				// One that connects after the wait was given up is not needed.
				.doOnError(error -> connecting.thenAccept(StatefulRedisPubSubConnection::closeAsync))
				.<RedisPubSub>map(ClassicPubSub::new);
		});
	}

	@Override
	public void addListener(RedisConnectionStateListener listener) {
		this.client.addListener(listener);
	}

	/** Any connection of the client: the commands connection and every subscriber. */
	@Override
	public Flux<Object> reconnections() {
		return this.client.getResources().eventBus().get().ofType(ConnectionActivatedEvent.class).cast(Object.class);
	}

	@Override
	public String describe() {
		return this.uri.toString();
	}

	// The client's shutdown closes every connection it made, once each: closing one before made
	// the shutdown close it again, with a warning.
	@Override
	public void close() {
		this.client.shutdown();
	}

}
