package io.eventgateway.gateway.cluster;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import io.eventgateway.gateway.testing.TestClient;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every event must reach a subscriber on another instance within a second of its publisher's ack:
 * with the periodic catch-up from the store switched off, only Redis brings it that soon. A bound
 * on waiting, measured from when each message came off its socket, not a speed benchmark.
 */
final class DeliveryBound {

	static final Duration PER_EVENT = Duration.ofSeconds(1);

	private DeliveryBound() {
	}

	/** The next matching message, which must come within {@link #PER_EVENT} of the ack. */
	static JsonNode awaitEvent(TestClient subscriber, Predicate<JsonNode> which, TestClient.Received ack) {
		TestClient.Received event = subscriber.nextReceived(which, untilBoundOf(ack.atNanos()));
		assertThat(Duration.ofNanos(event.atNanos() - ack.atNanos())).as("from the ack to the event " + event.message())
			.isLessThanOrEqualTo(PER_EVENT);
		return event.message();
	}

	/** How long to wait for what is due within {@link #PER_EVENT} of the last ack. */
	static Duration untilBoundOf(long lastAckNanos) {
		return Duration.ofNanos(Math.max(lastAckNanos + PER_EVENT.toNanos() - System.nanoTime(), 10_000_000));
	}

	/** Each event of {@code arrivals} came within {@link #PER_EVENT} of the ack of its {@code seq}. */
	static void assertEachWithin(Map<Long, Long> ackedAt, List<TestClient.Received> arrivals) {
		List<String> late = new ArrayList<>();
		for (TestClient.Received arrival : arrivals) {
			long seq = arrival.message().path("seq").asLong();
			Long acked = ackedAt.get(seq);
			assertThat(acked).as("an ack for seq " + seq).isNotNull();
			Duration after = Duration.ofNanos(arrival.atNanos() - acked);
			if (after.compareTo(PER_EVENT) > 0) {
				late.add("seq " + seq + " " + after.toMillis() + " ms after its ack");
			}
		}
		assertThat(late).as("events that came later than " + PER_EVENT + " after their ack").isEmpty();
	}

	static long lastAck(Map<Long, Long> ackedAt) {
		return Collections.max(ackedAt.values());
	}

}
