package io.eventgateway.gateway.support;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class PeriodicTaskTests {

	@Test
	void aPipelineThatEndsWithAnErrorIsStartedAgainAndStopsWhenTheTaskStops() {
		AtomicInteger starts = new AtomicInteger();
		AtomicInteger ticks = new AtomicInteger();
		PeriodicTask task = new PeriodicTask() {
			@Override
			protected Flux<?> schedule() {
				if (starts.incrementAndGet() == 1) {
					return Flux.error(new IllegalStateException("overflow"));
				}
				return Flux.interval(Duration.ofMillis(10)).doOnNext(tick -> ticks.incrementAndGet());
			}
		};
		task.start();
		try {
			await().atMost(Duration.ofSeconds(5)).until(() -> ticks.get() >= 3);
			assertThat(starts.get()).isEqualTo(2);
		}
		finally {
			task.stop();
		}
		int stoppedAt = ticks.get();
		await().pollDelay(Duration.ofMillis(100)).atMost(Duration.ofSeconds(1)).until(() -> true);
		assertThat(ticks.get()).as("no tick after stop").isLessThanOrEqualTo(stoppedAt + 1);
		assertThat(task.isRunning()).isFalse();
	}

}
