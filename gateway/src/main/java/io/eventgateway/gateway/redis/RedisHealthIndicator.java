package io.eventgateway.gateway.redis;

import java.time.Duration;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.ReactiveHealthIndicator;
import reactor.core.publisher.Mono;

/**
 * Health of the Redis broker (cluster mode only): down while the probes this instance sends
 * itself do not come back (its subscriber connection delivers nothing), else a PING.
 */
public final class RedisHealthIndicator implements ReactiveHealthIndicator {

	private final RedisBroker broker;

	private final BrokerProbe probe;

	public RedisHealthIndicator(RedisBroker broker, BrokerProbe probe) {
		this.broker = broker;
		this.probe = probe;
	}

	@Override
	public Mono<Health> health() {
		String probeFailure = this.probe.failure();
		if (probeFailure != null) {
			return Mono.just(Health.down().withDetail("error", probeFailure).build());
		}
		return this.broker.ping()
			.map(pong -> Health.up().build())
			.timeout(Duration.ofSeconds(3))
			.onErrorResume(error -> Mono.just(Health.down().withDetail("error", String.valueOf(error.getMessage())).build()));
	}

}
