package io.eventgateway.gateway.redis;

import io.eventgateway.gateway.metrics.GatewayMeters;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * What the Redis broker counts of its pub/sub traffic.
 *
 * @param received messages from other instances
 * @param published messages published, one per room of a batch
 * @param resubscribes reconnections, each followed by resubscribing and a catch-up
 */
public record BrokerMeters(Counter received, Counter published, Counter resubscribes) {

	public static BrokerMeters register(MeterRegistry meters) {
		return new BrokerMeters(meters.counter(GatewayMeters.BROKER_MESSAGES_RECEIVED),
				meters.counter(GatewayMeters.BROKER_MESSAGES_PUBLISHED), meters.counter(GatewayMeters.BROKER_RESUBSCRIBES));
	}

}
