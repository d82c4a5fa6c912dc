package io.eventgateway.gateway.health;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import static org.assertj.core.api.Assertions.assertThat;

class CachedHealthIndicatorTests {

	@Test
	void aStormOfProbesChecksTheDependencyOnceAndAgainOnlyAfterTheTimeToLive() throws InterruptedException {
		AtomicInteger checks = new AtomicInteger();
		CachedHealthIndicator cached = new CachedHealthIndicator(
				() -> Mono.fromSupplier(() -> Health.status(checks.incrementAndGet() == 1 ? Status.UP : Status.DOWN).build())
					.delayElement(Duration.ofMillis(50)),
				Duration.ofMillis(300));

		Flux.range(0, 200).flatMap(i -> cached.health()).collectList().block(Duration.ofSeconds(5))
			.forEach(health -> assertThat(health.getStatus()).isEqualTo(Status.UP));
		assertThat(checks).hasValue(1);

		Thread.sleep(400);
		assertThat(cached.health().block(Duration.ofSeconds(5)).getStatus()).as("checked again once it expired")
			.isEqualTo(Status.DOWN);
		assertThat(checks).hasValue(2);
	}

	@Test
	void aTimeToLiveOfZeroChecksEveryTime() {
		AtomicInteger checks = new AtomicInteger();
		CachedHealthIndicator uncached = new CachedHealthIndicator(
				() -> Mono.fromSupplier(() -> Health.up().withDetail("check", checks.incrementAndGet()).build()), Duration.ZERO);
		uncached.health().block();
		uncached.health().block();
		assertThat(checks).hasValue(2);
	}

}
