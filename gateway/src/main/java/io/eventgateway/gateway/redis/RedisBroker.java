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
import io.lettuce.core.cluster.api.reactive.RedisClusterReactiveCommands;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The broker of a cluster: Redis pub/sub, one channel per room, subscribed while the room has local
 * members: classic pub/sub on one server, sharded pub/sub on a Redis Cluster ({@link RedisPubSub}).
 * An event is delivered to local members at once and published for the other instances;
 * every durable event reaching this instance passes through {@link SequencedDelivery}, which keeps
 * {@code seq} order and fills what Redis lost from the store. After a reconnection (Lettuce
 * resubscribes by itself, with jittered backoff) every tracked room catches up from the store.
 * A subscriber connection that looks open but delivers nothing is found by {@link BrokerProbe}
 * and replaced ({@link #renewSubscriber()}).
 */
public final class RedisBroker implements Broker, SmartLifecycle {

	private static final Logger logger = LoggerFactory.getLogger(RedisBroker.class);

	private final RedisConnections connections;

	private final RedisKeys keys;

	private final String instanceId;

	private final SequencedDelivery delivery;

	private final CircuitBreaker breaker;

	private final Duration timeout;

	private final Duration catchUpInterval;

	private final BrokerMeters meters;

	private final Disposable.Composite running = Disposables.composite();

	/** Replaced when a probe finds it delivering nothing. */
	private volatile RedisPubSub pubSub;

	/** What reads the current subscriber connection's messages. */
	private volatile Disposable listening = Disposables.disposed();

	private volatile Consumer<String> probeAnswers = token -> {
	};

	private volatile boolean started;

	public RedisBroker(RedisConnections connections, RedisKeys keys, String instanceId, SequencedDelivery delivery,
			CircuitBreaker breaker, Duration timeout, Duration catchUpInterval, BrokerMeters meters) {
		this.meters = meters;
		this.connections = connections;
		this.keys = keys;
		this.instanceId = instanceId;
		this.delivery = delivery;
		this.breaker = breaker;
		this.timeout = timeout;
		this.catchUpInterval = catchUpInterval;
		// Connected at once: a gateway configured for Redis does not start without it.
		this.pubSub = connections.subscriber();
	}

	/** The connections this broker uses, for the other Redis-backed parts of this instance. */
	public RedisConnections connections() {
		return this.connections;
	}

	/** Commands on the shared connection. */
	public RedisClusterReactiveCommands<String, String> commands() {
		return this.connections.commands();
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
		// One message per room of the batch, sent together: one round trip per batch, not one per room
		// (on a cluster, each on the connection to its channel's master).
		Map<String, String> messages = new LinkedHashMap<>(byRoom.size() * 2);
		byRoom.forEach((room, roomEvents) -> messages.put(this.keys.roomChannel(room), BrokerMessageCodec.encodeAll(this.instanceId, roomEvents)));
		return this.connections.publishAll(messages)
			.doOnSuccess(done -> this.meters.published().increment(messages.size()))
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
			return this.pubSub
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
			return this.pubSub
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
		return this.connections.publish(probeChannel(), token).timeout(this.timeout).then();
	}

	/**
	 * Replaces the subscriber connection with a new one subscribed to every tracked room, then
	 * catches every room up from the store: what the old connection did not deliver is read there.
	 * The old connection stays until the new one is connected and subscribed, so a Redis (or, on a
	 * cluster, a master) still away leaves things as they were: the old connection's channels are
	 * subscribed again by Lettuce when it reconnects, a half-subscribed new one's would not be.
	 */
	Mono<Void> renewSubscriber() {
		return this.connections.connectSubscriber(this.timeout).flatMap(fresh -> {
			List<String> before = subscribedChannels();
			return fresh.subscribe(before.toArray(String[]::new))
				.timeout(this.timeout)
				.doOnError(error -> fresh.closeAsync())
				.then(Mono.defer(() -> {
					RedisPubSub old = this.pubSub;
					this.listening.dispose();
					this.pubSub = fresh;
					this.listening = listen(fresh);
					old.closeAsync();
					// Read after the swap: a room that begins its subscription now subscribes on the new
					// connection; one that began on the old connection meanwhile is subscribed here.
					List<String> began = subscribedChannels();
					began.removeAll(before);
					return began.isEmpty() ? Mono.<Void>empty()
							: fresh.subscribe(began.toArray(String[]::new)).timeout(this.timeout);
				}));
		}).then(Mono.defer(this.delivery::catchUpAll));
	}

	/** The probe channel and the channel of every tracked room. */
	private List<String> subscribedChannels() {
		List<String> channels = new ArrayList<>();
		channels.add(probeChannel());
		this.delivery.trackedRoomNames().forEach(room -> channels.add(this.keys.roomChannel(room)));
		return channels;
	}

	/** Brings every tracked room up to the store's newest seq. */
	Mono<Void> catchUp() {
		return this.delivery.catchUpAll();
	}

	private String probeChannel() {
		return this.keys.probeChannel(this.instanceId);
	}

	private Disposable listen(RedisPubSub subscriber) {
		String probeChannel = probeChannel();
		return subscriber.messages().subscribe(message -> {
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
		return this.connections.commands().ping().timeout(this.timeout);
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
		this.running.add(this.pubSub.subscribe(probeChannel()).subscribe(null,
				error -> logger.warn("subscribing to the probe channel failed: {}", error.getMessage())));
		this.running.add(this.connections.reconnections()
			.doOnNext(activated -> {
				this.meters.resubscribes().increment();
				// Redis is reachable again: the failures of the outage must not open the breaker now.
				this.breaker.reset();
			})
			// Give Lettuce a moment to resubscribe the channels, then read what was missed meanwhile.
			.delayElements(Duration.ofMillis(300))
			.concatMap(activated -> this.pubSub.resubscribe().onErrorResume(error -> {
				logger.warn("subscribing again after a reconnection failed: {}", error.getMessage());
				return Mono.empty();
			}).then(Mono.defer(this.delivery::catchUpAll)))
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
		this.connections.close();
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
