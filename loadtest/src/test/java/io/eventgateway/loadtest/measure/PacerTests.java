package io.eventgateway.loadtest.measure;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PacerTests {

	@Test
	void operationsFallDueOnAFixedTimetable() {
		assertThat(Pacer.dueBy(0, 1000)).isZero();
		assertThat(Pacer.dueBy(1, 1000)).isEqualTo(1);
		assertThat(Pacer.dueBy(1_000_000, 1000)).isEqualTo(1);
		assertThat(Pacer.dueBy(1_000_001, 1000)).isEqualTo(2);
		assertThat(Pacer.dueBy(1_000_000_000L, 1000)).isEqualTo(1000);
		assertThat(Pacer.dueBy(-5, 1000)).isZero();
	}

	@Test
	void issuesExactlyTheOperationsOfItsTimetableEachAtItsIntendedTime() throws InterruptedException {
		List<Long> intended = new CopyOnWriteArrayList<>();
		long start = System.nanoTime();
		try (Pacer pacer = Pacer.start("test", 1000, start, start + 50_000_000L, (n, at) -> intended.add(at))) {
			Thread.sleep(150);
			assertThat(pacer.issued()).isEqualTo(50);
			assertThat(pacer.finished()).isTrue();
			assertThat(pacer.intendedNanos(10)).isEqualTo(start + 10_000_000L);
		}
		assertThat(intended).hasSize(50);
		assertThat(intended.get(49) - intended.get(0)).isEqualTo(49_000_000L);
	}

}
