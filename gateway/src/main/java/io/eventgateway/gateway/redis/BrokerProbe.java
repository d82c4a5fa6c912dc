package io.eventgateway.gateway.redis;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

import io.eventgateway.gateway.metrics.GatewayMeters;
import io.eventgateway.gateway.support.PeriodicTask;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * Finds a subscriber connection that looks open but delivers nothing (a stalled Redis, a
 * half-open socket): the instance publishes a probe to a channel it subscribes to, and a probe not
 * back in time turns the broker's health down and renews the subscriber connection, which catches
 * every room up from the store. Probes go on until one comes back, and then every room catches up
 * once more: a connection that came back by itself (a Redis that went on) has not brought what was
 * published while it was away. On a Redis Cluster the probe channel, like every channel, lives on
 * one shard: the probe checks the subscriber connection's path to that master.
 */
public final class BrokerProbe extends PeriodicTask {

	private static final Logger logger = LoggerFactory.getLogger(BrokerProbe.class);

	private final RedisBroker broker;

	private final Duration interval;

	private final Duration timeout;

	private final Counter failures;

	private final Counter renewals;

	private final Map<String, Sinks.Empty<Void>> waiting = new ConcurrentHashMap<>();

	private final AtomicLong sequence = new AtomicLong();

	/** Since when probes go unanswered, or {@code null} while they come back. */
	private volatile Outage outage;

	public BrokerProbe(RedisBroker broker, Duration interval, Duration timeout, MeterRegistry meters) {
		this.broker = broker;
		this.interval = interval;
		this.timeout = timeout;
		this.failures = Counter.builder(GatewayMeters.REDIS_PROBE_FAILURES).register(meters);
		this.renewals = Counter.builder(GatewayMeters.REDIS_SUBSCRIBER_RENEWALS).register(meters);
		broker.onProbeAnswer(this::answered);
	}

	/** Why the broker cannot be trusted to deliver now, or {@code null} while probes come back. */
	public String failure() {
		Outage current = this.outage;
		return (current == null) ? null
				: current.failed() + " probe(s) not back within " + this.timeout + " since " + current.since()
						+ " (last: " + current.reason() + "); renewing the subscriber connection";
	}

	@Override
	protected Flux<?> schedule() {
		return Flux.interval(this.interval)
			// A probe still waiting when the next is due is not doubled: that tick is dropped.
			.onBackpressureDrop()
			.concatMap(tick -> probeOnce(), 0);
	}

	private Mono<Void> probeOnce() {
		String token = Long.toString(this.sequence.incrementAndGet());
		Sinks.Empty<Void> answer = Sinks.empty();
		this.waiting.put(token, answer);
		return this.broker.publishProbe(token)
			.then(answer.asMono())
			.timeout(this.timeout)
			.then(Mono.defer(this::cameBack))
			.onErrorResume(this::notBack)
			.doFinally(signal -> this.waiting.remove(token))
			.then();
	}

	private void answered(String token) {
		Sinks.Empty<Void> answer = this.waiting.remove(token);
		if (answer != null) {
			answer.tryEmitEmpty();
		}
	}

	/** Back after an outage: what was published meanwhile may not have come, so every room catches up. */
	private Mono<Void> cameBack() {
		Outage ended = this.outage;
		if (ended == null) {
			return Mono.empty();
		}
		this.outage = null;
		logger.info("broker probes come back again, after {} failed since {}", ended.failed(), ended.since());
		return this.broker.catchUp();
	}

	private Mono<Void> notBack(Throwable error) {
		this.failures.increment();
		String reason = (error instanceof TimeoutException) ? "no answer" : String.valueOf(error.getMessage());
		Outage before = this.outage;
		this.outage = (before == null) ? new Outage(Instant.now(), 1, reason) : before.again(reason);
		if (before == null) {
			logger.warn("broker probe not back within {} ({}): broker down, renewing the subscriber connection",
					this.timeout, reason);
		}
		this.renewals.increment();
		return this.broker.renewSubscriber().onErrorResume(renewal -> {
			logger.debug("renewing the subscriber connection failed: {}", renewal.getMessage());
			return Mono.empty();
		});
	}

	/** Starts after the broker, stops before it. */
	@Override
	public int getPhase() {
		return SmartLifecycle.DEFAULT_PHASE - 4095;
	}

	private record Outage(Instant since, int failed, String reason) {

		Outage again(String lastReason) {
			return new Outage(this.since, this.failed + 1, lastReason);
		}

	}

}
