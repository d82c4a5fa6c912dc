package io.eventgateway.core.connection;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

import static org.assertj.core.api.Assertions.assertThat;

class OutboundQueueTests {

	private final List<CloseReason> closes = new ArrayList<>();

	// Direct executor: writes happen on the calling thread, so the test is deterministic.
	private OutboundQueue queue(int maxMessages, long maxBytes, int frameBytes) {
		return new OutboundQueue(new OutboundLimits(maxMessages, maxBytes, frameBytes, 0.5), Runnable::run, this.closes::add);
	}

	private static byte[] line(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

	@Test
	void volatileMessagesAreDroppedPastTheirShareWhileDurableOnesStillFit() {
		OutboundQueue queue = queue(4, 1_000, 100);
		assertThat(queue.offer(line("v1"), true)).isEqualTo(Offer.QUEUED);
		assertThat(queue.offer(line("v2"), true)).isEqualTo(Offer.QUEUED);
		assertThat(queue.offer(line("v3"), true)).isEqualTo(Offer.DROPPED);
		assertThat(queue.offer(line("d1"), false)).isEqualTo(Offer.QUEUED);
		assertThat(queue.offer(line("d2"), false)).isEqualTo(Offer.QUEUED);
		assertThat(queue.size()).isEqualTo(4);
		assertThat(this.closes).isEmpty();
	}

	@Test
	void aDurableMessageThatDoesNotFitClosesAsSlowConsumer() {
		OutboundQueue queue = queue(2, 1_000, 100);
		queue.offer(line("a"), false);
		queue.offer(line("b"), false);
		assertThat(queue.offer(line("c"), false)).isEqualTo(Offer.OVERFLOW);
		assertThat(queue.closeReason()).isEqualTo(CloseReason.SLOW_CONSUMER);
		assertThat(this.closes).containsExactly(CloseReason.SLOW_CONSUMER);
		assertThat(queue.offer(line("d"), false)).isEqualTo(Offer.CLOSED);
	}

	@Test
	void theMessagesASlowConsumerCloseThrewAwayAreCountedUnsent() {
		OutboundQueue queue = queue(2, 1_000, 100);
		queue.offer(line("a"), false);
		queue.offer(line("b"), false);
		assertThat(queue.unsent()).isZero();
		queue.offer(line("c"), false);
		assertThat(queue.unsent()).isEqualTo(3);
	}

	@Test
	void theByteBoundHoldsToo() {
		OutboundQueue queue = queue(100, 10, 100);
		assertThat(queue.offer(line("12345678"), false)).isEqualTo(Offer.QUEUED);
		assertThat(queue.offer(line("123"), false)).isEqualTo(Offer.OVERFLOW);
		assertThat(queue.sizeInBytes()).isZero();
	}

	@Test
	void queuedLinesAreGatheredIntoFramesWithinDemand() {
		OutboundQueue queue = queue(100, 10_000, 7);
		queue.offer(line("aa"), false);
		queue.offer(line("bb"), false);
		queue.offer(line("cccccccccc"), false);
		StepVerifier.create(queue.frames(), 0)
			.thenRequest(1)
			.assertNext(frame -> assertThat(((OutboundFrame.Text) frame).lines()).hasSize(2))
			.thenRequest(1)
			.assertNext(frame -> {
				OutboundFrame.Text text = (OutboundFrame.Text) frame;
				assertThat(text.lines()).hasSize(1);
				assertThat(text.frameLength()).isEqualTo(10);
			})
			.then(() -> queue.ping())
			.thenRequest(1)
			.expectNext(OutboundFrame.PING)
			.then(() -> queue.close(CloseReason.RESTART))
			.verifyComplete();
		assertThat(queue.size()).isZero();
	}

	@Test
	void aPolicyCloseSendsWhatWasQueuedFirstAndASlowConsumerCloseDoesNot() {
		OutboundQueue policy = queue(10, 1_000, 100);
		policy.offer(line("error"), false);
		policy.close(CloseReason.POLICY);
		StepVerifier.create(policy.frames()).expectNextCount(1).verifyComplete();

		OutboundQueue slow = queue(10, 1_000, 100);
		slow.offer(line("event"), false);
		slow.close(CloseReason.SLOW_CONSUMER);
		StepVerifier.create(slow.frames()).verifyComplete();
	}

	@Test
	void whenHalfEmptyWaitsForTheWriterToDrain() {
		OutboundQueue queue = queue(4, 1_000, 1);
		for (int i = 0; i < 4; i++) {
			queue.offer(line("x" + i), false);
		}
		StepVerifier.create(queue.whenHalfEmpty()).expectSubscription().expectNoEvent(java.time.Duration.ofMillis(50)).thenCancel().verify();
		StepVerifier.create(queue.frames(), 2).expectNextCount(2).thenCancel().verify();
		StepVerifier.create(queue.whenHalfEmpty()).verifyComplete();
	}

	/**
	 * A slow-consumer close on another thread while the writer runs: what was written is always the
	 * first messages in order, never a later one after a gap (a client resuming from the last seq it
	 * saw would skip the missing ones for good).
	 */
	@Test
	void whatAConcurrentCloseLetsThroughIsAlwaysAPrefix() throws Exception {
		java.util.concurrent.ExecutorService writer = java.util.concurrent.Executors.newSingleThreadExecutor();
		java.util.concurrent.ExecutorService closer = java.util.concurrent.Executors.newSingleThreadExecutor();
		try {
			for (int round = 0; round < 400; round++) {
				List<Integer> written = new java.util.concurrent.CopyOnWriteArrayList<>();
				OutboundQueue queue = new OutboundQueue(new OutboundLimits(100_000, 1 << 24, 16, 0.5), writer, reason -> {
				});
				queue.attach(new OutboundQueue.FrameSink() {
					@Override
					public boolean ready() {
						return true;
					}

					@Override
					public void next(OutboundFrame frame) {
						if (frame instanceof OutboundFrame.Text text) {
							text.lines().forEach(line -> written.add(Integer.parseInt(new String(line, StandardCharsets.UTF_8))));
						}
					}

					@Override
					public void flush() {
					}

					@Override
					public void complete() {
					}
				});
				int closeAfter = 50 + (round % 150);
				java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
				java.util.concurrent.Future<?> close = closer.submit(() -> {
					go.await();
					return queue.close(CloseReason.SLOW_CONSUMER);
				});
				for (int i = 1; i <= 400; i++) {
					queue.offer(line(Integer.toString(i)), false);
					if (i == closeAfter) {
						go.countDown();
					}
				}
				close.get();
				writer.submit(() -> {
				}).get();
				for (int i = 0; i < written.size(); i++) {
					assertThat(written.get(i)).as("round %d: %s", round, written).isEqualTo(i + 1);
				}
			}
		}
		finally {
			writer.shutdownNow();
			closer.shutdownNow();
		}
	}

}
