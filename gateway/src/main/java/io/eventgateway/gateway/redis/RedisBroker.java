package io.eventgateway.gateway.redis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import io.eventgateway.core.broker.Broker;
import io.eventgateway.core.broker.BrokerUnavailableException;
import io.eventgateway.core.broker.SequencedDelivery;
import io.eventgateway.core.event.RoomEvent;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.reactor.circuitbreaker.operator.CircuitBreakerOperator;
import io.lettuce.core.ConnectionFuture;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.reactive.RedisReactiveCommands;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.event.connection.ConnectionActivatedEvent;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The broker of a cluster: Redis pub/sub, one channel per room, subscribed while the room has local
 * members. An event is delivered to local members at once and published for the other instances;
 * every durable event reaching this instance passes through {@link SequencedDelivery}, which keeps
 * {@code seq} order and fills what Redis lost from the store. After a reconnection (Lettuce
 * resubscribes by itself, with jittered backoff) every tracked room catches up from the store.
 * A subscriber connection that looks open but delivers nothing is found by {@link BrokerProbe}
 * and replaced ({@link #renewSubscriber()}).
 */
public final class RedisBroker implements Broker, SmartLifecycle {

	private static final Logger logger = LoggerFactory.getLogger(RedisBroker.class);

	private final RedisClient client;

	private final RedisURI uri;

	private final RedisKeys keys;

	private final String instanceId;

	private final SequencedDelivery delivery;

	private final CircuitBreaker breaker;

	private final Duration timeout;

	private final Duration catchUpInterval;

	private final BrokerMeters meters;

	private final Disposable.Composite running = Disposables.composite();

	private final StatefulRedisConnection<String, String> commands;

	/** Replaced when a probe finds it delivering nothing. */
	private volatile StatefulRedisPubSubConnection<String, String> pubSub;

	/** What reads the current subscriber connection's messages. */
	private volatile Disposable listening = Disposables.disposed();

	private volatile Consumer<String> probeAnswers = token -> {
	};

	private volatile boolean started;

	public RedisBroker(RedisClient client, RedisURI uri, RedisKeys keys, String instanceId, SequencedDelivery delivery,
			CircuitBreaker breaker, Duration timeout, Duration catchUpInterval, BrokerMeters meters) {
		this.meters = meters;
		this.client = client;
		this.uri = uri;
		this.keys = keys;
		this.instanceId = instanceId;
		this.delivery = delivery;
		this.breaker = breaker;
		this.timeout = timeout;
		this.catchUpInterval = catchUpInterval;
		// Connected at once: a gateway configured for Redis does not start without it.
		this.commands = client.connect(uri);
		this.pubSub = client.connectPubSub(uri);
	}

	/** Commands on the broker's connection, for the other Redis-backed parts of this instance. */
	public RedisReactiveCommands<String, String> commands() {
		return this.commands.reactive();
	}

	@Override
	public Mono<Void> publish(RoomEvent event) {
		return publishAll(List.of(event));
	}

	/** Local members first; then one Redis message per room of the batch. */
	@Override
	public Mono<Void> publishAll(List<RoomEvent> events) {
		events.forEach(this.delivery::deliver);
		Map<String, List<RoomEvent>> byRoom = new LinkedHashMap<>();
		for (RoomEvent event : events) {
			byRoom.computeIfAbsent(event.room(), room -> new ArrayList<>()).add(event);
		}
		// The rooms' messages are pipelined (sent in order on one connection, answered together):
		// one round trip per batch, not one per room. Each room has one message per batch.
		return Flux.fromIterable(byRoom.entrySet())
			.flatMap(room -> this.commands.reactive()
				.publish(this.keys.roomChannel(room.getKey()), BrokerMessageCodec.encodeAll(this.instanceId, room.getValue()))
				.doOnNext(receivers -> this.meters.published().increment()), Math.max(1, byRoom.size()))
			// Lettuce's command timeout bounds each call; the breaker stops calling a Redis that is down.
			.transformDeferred(CircuitBreakerOperator.of(this.breaker))
			.then()
			// Local members have the event. Other instances catch up a durable one from the store;
			// a volatile one may be lost, as the contract allows.
			.onErrorResume(error -> {
				logger.debug("publishing to Redis failed: {}", error.getMessage());
				return Mono.empty();
			});
	}

	/**
	 * The room's events are held from before the subscription is requested and delivered in order
	 * from the position read once Redis confirmed it: nothing published meanwhile is missed.
	 */
	@Override
	public Mono<Void> subscribe(String room) {
		return Mono.defer(() -> {
			this.delivery.begin(room);
			return this.pubSub.reactive()
				.subscribe(this.keys.roomChannel(room))
				.timeout(this.timeout)
				.transformDeferred(CircuitBreakerOperator.of(this.breaker))
				.onErrorMap(error -> new BrokerUnavailableException("broker unavailable: " + error.getMessage(), error))
				.then(this.delivery.track(room));
		}).doOnError(error -> this.delivery.forget(room));
	}

	@Override
	public Mono<Void> unsubscribe(String room) {
		return Mono.defer(() -> {
			this.delivery.forget(room);
			return this.pubSub.reactive()
				.unsubscribe(this.keys.roomChannel(room))
				.timeout(this.timeout)
				.onErrorResume(error -> Mono.empty())
				.then();
		});
	}

	/** Where the probes this instance sends to itself arrive. */
	void onProbeAnswer(Consumer<String> answers) {
		this.probeAnswers = answers;
	}

	/** Sends a probe to this instance's own probe channel, around the breaker: it must test Redis even then. */
	Mono<Void> publishProbe(String token) {
		return this.commands.reactive().publish(probeChannel(), token).timeout(this.timeout).then();
	}

	/**
	 * Replaces the subscriber connection with a new one subscribed to every tracked room, then
	 * catches every room up from the store: what the old connection did not deliver is read there.
	 * The old connection stays until the new one is connected, so a Redis still away leaves
	 * things as they were.
	 */
	Mono<Void> renewSubscriber() {
		return Mono.defer(() -> {
			ConnectionFuture<StatefulRedisPubSubConnection<String, String>> connecting = this.client
				.connectPubSubAsync(StringCodec.UTF8, this.uri);
			return Mono.fromCompletionStage(connecting)
				.timeout(this.timeout)
				// One that connects after the wait was given up is not needed.
				.doOnError(error -> connecting.thenAccept(StatefulRedisPubSubConnection::closeAsync));
		}).flatMap(fresh -> {
			StatefulRedisPubSubConnection<String, String> old = this.pubSub;
			this.listening.dispose();
			this.pubSub = fresh;
			this.listening = listen(fresh);
			old.closeAsync();
			// Read after the swap: a room that begins its subscription now subscribes on the new connection.
			List<String> channels = new ArrayList<>();
			channels.add(probeChannel());
			this.delivery.trackedRoomNames().forEach(room -> channels.add(this.keys.roomChannel(room)));
			return fresh.reactive().subscribe(channels.toArray(String[]::new)).timeout(this.timeout);
		}).then(Mono.defer(this.delivery::catchUpAll));
	}

	/** Brings every tracked room up to the store's newest seq. */
	Mono<Void> catchUp() {
		return this.delivery.catchUpAll();
	}

	private String probeChannel() {
		return this.keys.probeChannel(this.instanceId);
	}

	private Disposable listen(StatefulRedisPubSubConnection<String, String> connection) {
		String probeChannel = probeChannel();
		return connection.reactive().observeChannels().subscribe(message -> {
			if (probeChannel.equals(message.getChannel())) {
				this.probeAnswers.accept(message.getMessage());
			}
			else {
				onMessage(message.getMessage());
			}
		});
	}

	/** Whether Redis answers, for health. */
	public Mono<String> ping() {
		return this.commands.reactive().ping().timeout(this.timeout);
	}

	private void onMessage(String message) {
		// Our own messages were delivered locally when published.
		if (message.startsWith(this.instanceId + "|")) {
			return;
		}
		this.meters.received().increment();
		for (BrokerMessageCodec.Decoded decoded : BrokerMessageCodec.decodeAll(message)) {
			this.delivery.deliver(decoded.event());
		}
	}

	@Override
	public void start() {
		this.listening = listen(this.pubSub);
		this.running.add(this.pubSub.reactive().subscribe(probeChannel()).subscribe(null,
				error -> logger.warn("subscribing to the probe channel failed: {}", error.getMessage())));
		this.running.add(this.client.getResources()
			.eventBus()
			.get()
			.ofType(ConnectionActivatedEvent.class)
			.doOnNext(activated -> {
				this.meters.resubscribes().increment();
				// Redis is reachable again: the failures of the outage must not open the breaker now.
				this.breaker.reset();
			})
			// Give Lettuce a moment to resubscribe the channels, then read what was missed meanwhile.
			.delayElements(Duration.ofMillis(300))
			.concatMap(activated -> this.delivery.catchUpAll())
			.subscribe());
		this.running.add(Flux.interval(this.catchUpInterval)
			// A safety net for a publish that reached the store but not Redis while Redis stayed up for
			// others. A sweep still running when the next is due is not doubled: that tick is dropped.
			.onBackpressureDrop()
			.concatMap(tick -> this.delivery.catchUpAll(), 0)
			.subscribe());
		this.started = true;
	}

	@Override
	public void stop() {
		this.started = false;
		this.running.dispose();
		this.listening.dispose();
		this.pubSub.close();
		this.commands.close();
		this.client.shutdown();
	}

	@Override
	public boolean isRunning() {
		return this.started;
	}

	/** Connected before the web server starts taking connections, closed after it stopped. */
	@Override
	public int getPhase() {
		return SmartLifecycle.DEFAULT_PHASE - 4096;
	}

}
