package io.eventgateway.gateway.health;

import java.time.Duration;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.ReactiveHealthIndicator;
import reactor.core.publisher.Mono;

/**
 * A health check asked at most once per time to live: a storm of probes (every load balancer,
 * every few seconds, on every instance) reaches the dependency once, and callers that come while a
 * check runs share it. Spring Boot's own endpoint cache does not apply to the health groups.
 */
public final class CachedHealthIndicator implements ReactiveHealthIndicator {

	private final Mono<Health> cached;

	public CachedHealthIndicator(ReactiveHealthIndicator checked, Duration timeToLive) {
		Mono<Health> check = Mono.defer(checked::health);
		this.cached = timeToLive.isZero() ? check : check.cache(timeToLive);
	}

	@Override
	public Mono<Health> health() {
		return this.cached;
	}

}
