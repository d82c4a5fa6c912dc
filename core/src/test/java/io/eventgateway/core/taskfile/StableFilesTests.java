package io.eventgateway.core.taskfile;

import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import reactor.core.publisher.Sinks;
import reactor.test.StepVerifier;
import reactor.test.scheduler.VirtualTimeScheduler;

/** Debouncing and coalescing of file changes, in virtual time. */
class StableFilesTests {

	private static final Path A = Path.of("a", "tasks.json");

	private static final Path B = Path.of("b", "tasks.json");

	private static final Duration THRESHOLD = Duration.ofMillis(100);

	@Test
	void aBurstOfChangesToOneFileLetsItThroughOnceAfterItIsStable() {
		VirtualTimeScheduler time = VirtualTimeScheduler.create();
		Sinks.Many<Path> changes = Sinks.many().unicast().onBackpressureBuffer();
		StepVerifier.withVirtualTime(() -> new StableFiles(THRESHOLD, 10, time).stable(changes.asFlux()), () -> time, 10)
			.then(() -> changes.tryEmitNext(A))
			.then(() -> time.advanceTimeBy(Duration.ofMillis(60)))
			.then(() -> changes.tryEmitNext(A))
			.then(() -> time.advanceTimeBy(Duration.ofMillis(60)))
			.then(() -> changes.tryEmitNext(A))
			.then(() -> time.advanceTimeBy(Duration.ofMillis(90)))
			.expectNoEvent(Duration.ofMillis(1))
			.then(() -> time.advanceTimeBy(Duration.ofMillis(30)))
			.expectNext(A)
			.then(() -> time.advanceTimeBy(Duration.ofSeconds(5)))
			.expectNoEvent(Duration.ofMillis(1))
			.thenCancel()
			.verify(Duration.ofSeconds(5));
	}

	@Test
	void filesBecomeStableEachOnItsOwnClock() {
		VirtualTimeScheduler time = VirtualTimeScheduler.create();
		Sinks.Many<Path> changes = Sinks.many().unicast().onBackpressureBuffer();
		StepVerifier.withVirtualTime(() -> new StableFiles(THRESHOLD, 10, time).stable(changes.asFlux()), () -> time, 10)
			.then(() -> changes.tryEmitNext(A))
			.then(() -> time.advanceTimeBy(Duration.ofMillis(50)))
			.then(() -> changes.tryEmitNext(B))
			.then(() -> time.advanceTimeBy(Duration.ofMillis(60)))
			.expectNext(A)
			.then(() -> time.advanceTimeBy(Duration.ofMillis(60)))
			.expectNext(B)
			.thenCancel()
			.verify(Duration.ofSeconds(5));
	}

	@Test
	void aStableFileWaitsForDemandAndKeepsCoalescingMeanwhile() {
		VirtualTimeScheduler time = VirtualTimeScheduler.create();
		Sinks.Many<Path> changes = Sinks.many().unicast().onBackpressureBuffer();
		StepVerifier.withVirtualTime(() -> new StableFiles(THRESHOLD, 10, time).stable(changes.asFlux()), () -> time, 0)
			.then(() -> changes.tryEmitNext(A))
			.then(() -> time.advanceTimeBy(Duration.ofMillis(500)))
			.expectNoEvent(Duration.ofMillis(1))
			// Downstream is busy; the file changes again and must be stable again before it goes.
			.then(() -> changes.tryEmitNext(A))
			.thenRequest(1)
			.expectNoEvent(Duration.ofMillis(50))
			.then(() -> time.advanceTimeBy(Duration.ofMillis(60)))
			.expectNext(A)
			.thenCancel()
			.verify(Duration.ofSeconds(5));
	}

	@Test
	void pastTheLimitOfWaitingFilesOneRescanStandsForThemAll() {
		VirtualTimeScheduler time = VirtualTimeScheduler.create();
		Sinks.Many<Path> changes = Sinks.many().unicast().onBackpressureBuffer();
		StepVerifier.withVirtualTime(() -> new StableFiles(THRESHOLD, 3, time).stable(changes.asFlux()), () -> time, 10)
			.then(() -> {
				for (int i = 0; i < 10; i++) {
					changes.tryEmitNext(Path.of("team" + i, "tasks.json"));
				}
			})
			.then(() -> time.advanceTimeBy(Duration.ofMillis(200)))
			.expectNext(StableFiles.RESCAN)
			.then(() -> time.advanceTimeBy(Duration.ofSeconds(1)))
			.expectNoEvent(Duration.ofMillis(1))
			.thenCancel()
			.verify(Duration.ofSeconds(5));
	}

}
