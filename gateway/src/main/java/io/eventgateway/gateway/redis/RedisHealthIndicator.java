package io.eventgateway.gateway.redis;

import java.time.Duration;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.ReactiveHealthIndicator;
import reactor.core.publisher.Mono;

/** Health of the Redis broker (cluster mode only): a PING. */
public final class RedisHealthIndicator implements ReactiveHealthIndicator {

	private final RedisBroker broker;

	public RedisHealthIndicator(RedisBroker broker) {
		this.broker = broker;
	}

	@Override
	public Mono<Health> health() {
		return this.broker.ping()
			.map(pong -> Health.up().build())
			.timeout(Duration.ofSeconds(3))
			.onErrorResume(error -> Mono.just(Health.down().withDetail("error", String.valueOf(error.getMessage())).build()));
	}

}
