package io.eventgateway.gateway.redis;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import io.eventgateway.core.store.RoomPosition;
import io.eventgateway.core.task.TaskCommit;
import io.eventgateway.core.task.TaskRead;
import io.eventgateway.gateway.cache.SharedTaskCache;
import io.eventgateway.gateway.task.TaskJson;
import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.api.reactive.RedisClusterReactiveCommands;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoSink;
import reactor.core.scheduler.Schedulers;

/**
 * The shared task cache in Redis, and invalidation of every instance's local cache over Redis
 * pub/sub. Entries carry their version, and a Lua script refuses to put an older version over a
 * newer one (a delete leaves a tombstone). A writer waits until every instance that received its
 * invalidation confirmed it, so no instance answers the old version after the write was answered.
 * While this instance's subscription is down it cannot hear writes: it stops answering from its
 * local cache, and empties it when the subscription is back.
 */
public final class RedisTaskCache implements SharedTaskCache, SmartLifecycle {

	private static final Logger logger = LoggerFactory.getLogger(RedisTaskCache.class);

	private static final long TOMBSTONE = Long.MAX_VALUE;

	// KEYS[1] the entry; ARGV version, value, ttl in ms. Writes only a newer version.
	private static final String PUT_IF_NEWER = """
			local current = redis.call('GET', KEYS[1])
			if current then
			  local version = tonumber(string.match(current, '^(%d+)|'))
			  if version and version >= tonumber(ARGV[1]) then return 0 end
			end
			redis.call('SET', KEYS[1], ARGV[1] .. '|' .. ARGV[2], 'PX', ARGV[3])
			return 1""";

	private static final Duration RESUBSCRIBE_GRACE = Duration.ofMillis(500);

	private static final Duration SUBSCRIBE_TIMEOUT = Duration.ofSeconds(10);

	private final RedisConnections connections;

	private final RedisClusterReactiveCommands<String, String> redis;

	private final RedisPubSub pubSub;

	private final RedisKeys keys;

	private final String instanceId;

	private final TaskJson json;

	private final long ttlMillis;

	private final Duration ackTimeout;

	private final AtomicLong requests = new AtomicLong();

	private final Map<Long, AckWait> waits = new ConcurrentHashMap<>();

	private volatile Consumer<String> evict = id -> {
	};

	private volatile boolean subscribed;

	private Disposable listening;

	public RedisTaskCache(RedisConnections connections, RedisKeys keys, String instanceId, TaskJson json, Duration ttl,
			Duration ackTimeout) {
		this.connections = connections;
		this.redis = connections.commands();
		this.keys = keys;
		this.instanceId = instanceId;
		this.json = json;
		this.ttlMillis = ttl.toMillis();
		this.ackTimeout = ackTimeout;
		this.pubSub = connections.subscriber();
		connections.addListener(new RedisConnectionStateListener() {

			@Override
			public void onRedisDisconnected(RedisChannelHandler<?, ?> connection) {
				if (RedisTaskCache.this.pubSub.carries(connection)) {
					RedisTaskCache.this.subscribed = false;
					// Off the event loop: emptying the local cache takes its lock, which other threads may hold.
					Schedulers.boundedElastic().schedule(() -> RedisTaskCache.this.evict.accept(null));
				}
			}

			@Override
			public void onRedisConnected(RedisChannelHandler<?, ?> connection, java.net.SocketAddress address) {
				if (RedisTaskCache.this.pubSub.carries(connection)) {
					// Writes made while away may not have reached us: start over once resubscribed.
					Mono.delay(RESUBSCRIBE_GRACE, Schedulers.boundedElastic())
						.then(Mono.defer(RedisTaskCache.this.pubSub::resubscribe).onErrorResume(error -> {
							logger.warn("subscribing again to task invalidations failed: {}", error.getMessage());
							return Mono.empty();
						}))
						.subscribe(null, null, () -> {
							RedisTaskCache.this.evict.accept(null);
							RedisTaskCache.this.subscribed = RedisTaskCache.this.pubSub.isOpen();
						});
				}
			}

		});
	}

	@Override
	public Mono<TaskRead> get(String id) {
		return this.redis.get(this.keys.task(id)).mapNotNull(this::decode).onErrorResume(error -> {
			logger.debug("task cache read failed: {}", error.getMessage());
			return Mono.empty();
		});
	}

	@Override
	public Mono<Void> put(TaskRead read) {
		return putIfNewer(read.task().id(), read.task().version(), encode(read));
	}

	@Override
	public Mono<Void> written(TaskCommit commit) {
		TaskRead read = commit.read();
		Mono<Void> entry = (read == null) ? putIfNewer(commit.taskId(), TOMBSTONE, "") : put(read);
		return entry.then(invalidateEverywhere(commit.taskId()));
	}

	private Mono<Void> putIfNewer(String id, long version, String value) {
		return this.redis
			.<Long>eval(PUT_IF_NEWER, ScriptOutputType.INTEGER, new String[] { this.keys.task(id) }, String.valueOf(version),
					value, String.valueOf(this.ttlMillis))
			.then()
			.onErrorResume(error -> {
				logger.debug("task cache write failed: {}", error.getMessage());
				return Mono.empty();
			});
	}

	private Mono<Void> invalidateEverywhere(String id) {
		long request = this.requests.incrementAndGet();
		return Mono.<Void>create(sink -> {
			AckWait wait = new AckWait(sink);
			this.waits.put(request, wait);
			sink.onDispose(() -> this.waits.remove(request));
			this.connections.publish(this.keys.taskInvalidations(), this.instanceId + "|" + request + "|" + id)
				// Every subscribed instance received it, this one included.
				.subscribe(receivers -> wait.expect(receivers - 1), error -> {
					logger.warn("could not tell other instances of a write to task {}: {}", id, error.getMessage());
					sink.success();
				});
		}).timeout(this.ackTimeout, Mono.fromRunnable(
				() -> logger.warn("not every instance confirmed dropping task {} within {}", id, this.ackTimeout)));
	}

	private void onInvalidation(String message) {
		String[] parts = message.split("\\|", 3);
		if (parts.length != 3 || parts[0].equals(this.instanceId)) {
			return;
		}
		this.evict.accept(parts[2]);
		this.connections.publish(this.keys.taskInvalidationAcks(parts[0]), parts[1]).subscribe(received -> {
		}, error -> logger.debug("confirming an invalidation failed: {}", error.getMessage()));
	}

	private void onAck(String message) {
		AckWait wait = this.waits.get(Long.parseLong(message));
		if (wait != null) {
			wait.acked();
		}
	}

	private String encode(TaskRead read) {
		RoomPosition position = read.position();
		return position.seq() + "|" + position.epoch() + "|" + this.json.toCachedJson(read.task());
	}

	private TaskRead decode(String value) {
		String[] parts = value.split("\\|", 4);
		if (parts.length < 4 || parts[3].isEmpty()) {
			return null; // A tombstone.
		}
		return new TaskRead(this.json.fromCachedJson(parts[3]), new RoomPosition(Long.parseLong(parts[1]), parts[2], 0),
				true);
	}

	@Override
	public void onInvalidation(Consumer<String> evict) {
		this.evict = evict;
	}

	@Override
	public boolean invalidationsConnected() {
		return this.subscribed;
	}

	@Override
	public void start() {
		String invalidations = this.keys.taskInvalidations();
		this.listening = this.pubSub.messages().subscribe(message -> {
			if (message.getChannel().equals(invalidations)) {
				onInvalidation(message.getMessage());
			}
			else {
				onAck(message.getMessage());
			}
		});
		// Before the gateway takes connections: a write must not be answered while this instance cannot hear it.
		this.pubSub.subscribe(invalidations, this.keys.taskInvalidationAcks(this.instanceId)).block(SUBSCRIBE_TIMEOUT);
		this.subscribed = true;
	}

	@Override
	public void stop() {
		this.subscribed = false;
		this.listening.dispose();
		this.pubSub.close();
	}

	@Override
	public boolean isRunning() {
		return this.listening != null && !this.listening.isDisposed();
	}

	@Override
	public int getPhase() {
		return SmartLifecycle.DEFAULT_PHASE - 4096;
	}

	/** Confirmations a writer waits for; the count is known only once the publish answered. */
	private static final class AckWait {

		private final MonoSink<Void> sink;

		private long expected = -1;

		private long received;

		AckWait(MonoSink<Void> sink) {
			this.sink = sink;
		}

		synchronized void expect(long count) {
			this.expected = count;
			completeIfDone();
		}

		synchronized void acked() {
			this.received++;
			completeIfDone();
		}

		private void completeIfDone() {
			if (this.expected >= 0 && this.received >= this.expected) {
				this.sink.success();
			}
		}

	}

}
