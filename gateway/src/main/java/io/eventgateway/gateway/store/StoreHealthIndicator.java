package io.eventgateway.gateway.store;

import java.time.Duration;

import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.ValidationDepth;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.ReactiveHealthIndicator;
import reactor.core.publisher.Mono;

/** Health of the event store: a pooled connection that validates against the database. */
public final class StoreHealthIndicator implements ReactiveHealthIndicator {

	private final ConnectionFactory connections;

	public StoreHealthIndicator(ConnectionFactory connections) {
		this.connections = connections;
	}

	@Override
	public Mono<Health> health() {
		return Mono.usingWhen(this.connections.create(), connection -> Mono.from(connection.validate(ValidationDepth.REMOTE)),
				Connection::close)
			.map(valid -> valid ? Health.up().build() : Health.down().withDetail("error", "validation failed").build())
			.timeout(Duration.ofSeconds(3))
			.onErrorResume(error -> Mono.just(Health.down().withDetail("error", String.valueOf(error.getMessage())).build()));
	}

}
