package io.eventgateway.gateway.redis;

import java.net.SocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.RedisURI;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.reactive.RedisClusterReactiveCommands;
import io.lettuce.core.cluster.pubsub.StatefulRedisClusterPubSubConnection;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.resource.ClientResources;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * A Redis Cluster, from the seed nodes of a {@code redis-cluster://host1:port1,host2:port2} URL:
 * commands go to the master of their key's slot, pub/sub is sharded. The topology is read again
 * periodically and whenever Lettuce sees a sign of change (a {@code MOVED}, a reconnection), so
 * a master that fails over or restarts is followed.
 */
public final class ClusterConnections implements RedisConnections {

	private final RedisClusterClient client;

	private final List<RedisURI> seeds;

	private final StatefulRedisClusterConnection<String, String> commands;

	/** Connects the commands connection at once: a gateway configured for Redis does not start without it. */
	public ClusterConnections(ClientResources resources, List<RedisURI> seeds, ClientOptions options,
			Duration topologyRefreshInterval) {
		this.seeds = List.copyOf(seeds);
		this.client = RedisClusterClient.create(resources, this.seeds);
		this.client.setOptions(ClusterClientOptions.builder(options)
			.topologyRefreshOptions(ClusterTopologyRefreshOptions.builder()
				.enablePeriodicRefresh(topologyRefreshInterval)
				.enableAllAdaptiveRefreshTriggers()
				.build())
			.build());
		this.commands = this.client.connect();
	}

	/**
	 * The seed nodes of {@code redis-cluster://[[user:]password@]host:port,host:port…}, each with
	 * the command timeout.
	 */
	public static List<RedisURI> seeds(String url, Duration timeout) {
		String rest = url.substring((CLUSTER_SCHEME + "://").length());
		int at = rest.lastIndexOf('@');
		String credentials = (at < 0) ? null : rest.substring(0, at);
		List<RedisURI> seeds = new ArrayList<>();
		for (String node : rest.substring(at + 1).split(",")) {
			int colon = node.lastIndexOf(':');
			if (colon <= 0 || colon == node.length() - 1) {
				throw new IllegalArgumentException("a Redis Cluster node must be host:port, not '" + node + "' in " + CLUSTER_SCHEME + "://…");
			}
			RedisURI.Builder seed = RedisURI.builder()
				.withHost(node.substring(0, colon).strip())
				.withPort(Integer.parseInt(node.substring(colon + 1).strip()))
				.withTimeout(timeout);
			if (credentials != null) {
				int colonInCredentials = credentials.indexOf(':');
				if (colonInCredentials < 0) {
					seed.withPassword(credentials.toCharArray());
				}
				else {
					seed.withAuthentication(credentials.substring(0, colonInCredentials),
							credentials.substring(colonInCredentials + 1));
				}
			}
			seeds.add(seed.build());
		}
		return seeds;
	}

	@Override
	public RedisClusterReactiveCommands<String, String> commands() {
		return this.commands.reactive();
	}

	@Override
	public Mono<Long> publish(String channel, String message) {
		return this.commands.reactive().spublish(channel, message);
	}

	/** Each message on the connection to its channel's master, all at once. */
	@Override
	public Mono<Void> publishAll(Map<String, String> messageByChannel) {
		return Flux.fromIterable(messageByChannel.entrySet())
			.flatMap(message -> publish(message.getKey(), message.getValue()), Math.max(1, messageByChannel.size()))
			.then();
	}

	@Override
	public RedisPubSub subscriber() {
		return new ShardedPubSub(this.client.connectPubSub());
	}

	@Override
	public Mono<RedisPubSub> connectSubscriber(Duration timeout) {
		return Mono.defer(() -> {
			CompletableFuture<StatefulRedisClusterPubSubConnection<String, String>> connecting = this.client
				.connectPubSubAsync(StringCodec.UTF8);
			return Mono.fromCompletionStage(connecting)
				.timeout(timeout)
				// One that connects after the wait was given up is not needed.
				.doOnError(error -> connecting.thenAccept(StatefulRedisClusterPubSubConnection::closeAsync))
				.<RedisPubSub>map(ShardedPubSub::new);
		});
	}

	@Override
	public void addListener(RedisConnectionStateListener listener) {
		this.client.addListener(listener);
	}

	/**
	 * Pub/sub connections only, each node's among them: the periodic topology refresh opens
	 * short-lived command connections to every node, and those are no reconnection. The node's
	 * command connection comes back with its subscriber connection, the same server having returned.
	 */
	@Override
	public Flux<Object> reconnections() {
		return Flux.create(sink -> {
			RedisConnectionStateListener listener = new RedisConnectionStateListener() {

				@Override
				public void onRedisConnected(RedisChannelHandler<?, ?> connection, SocketAddress address) {
					if (connection instanceof StatefulRedisPubSubConnection<?, ?>) {
						sink.next(address);
					}
				}

			};
			this.client.addListener(listener);
			sink.onDispose(() -> this.client.removeListener(listener));
		});
	}

	@Override
	public String describe() {
		return "Redis Cluster " + this.seeds;
	}

	@Override
	public void close() {
		this.commands.close();
		this.client.shutdown();
	}

}
