package io.eventgateway.gateway.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The one family of events lost on their way, by reason: the three series exist from the start, so
 * a dashboard or an alert finds them at zero.
 *
 * @param volatileShed volatile events not queued: the connection's queue was past its volatile share
 * @param slowConsumerClose messages thrown away unwritten when a connection was closed as a slow consumer
 * @param rateLimited publishes refused by the connection's request rate or its pending-publish limit
 */
public record EventDrops(Counter volatileShed, Counter slowConsumerClose, Counter rateLimited) {

	public static EventDrops register(MeterRegistry meters) {
		return new EventDrops(counter(meters, "volatile_shed"), counter(meters, "slow_consumer_close"),
				counter(meters, "rate_limited"));
	}

	private static Counter counter(MeterRegistry meters, String reason) {
		return meters.counter(GatewayMeters.EVENTS_DROPPED, "reason", reason);
	}

}
