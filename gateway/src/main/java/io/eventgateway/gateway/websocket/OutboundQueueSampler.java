package io.eventgateway.gateway.websocket;

import java.time.Duration;

import io.eventgateway.core.connection.Connection;
import io.eventgateway.gateway.metrics.GatewayMeters;
import io.eventgateway.gateway.support.PeriodicTask;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import reactor.core.publisher.Flux;

/**
 * The depth of every open connection's outbound queue, recorded at a fixed interval into two
 * distributions (messages, bytes): their buckets say how many connections are how far behind, and
 * their maximum is the worst one. A sampler rather than a record per offer: the delivery path pays
 * nothing, and a connection counts as often as any other whatever its traffic.
 */
public final class OutboundQueueSampler extends PeriodicTask {

	// Empty queues fall in the lowest bucket (up to 1 message, up to 1 KB); the top is past any sane limit.
	private static final double[] MESSAGE_BUCKETS = { 1, 4, 16, 64, 256, 1024, 4096, 16384 };

	private static final double[] BYTE_BUCKETS = { 1024, 4096, 16384, 65536, 262144, 1048576, 4194304, 16777216 };

	private final ConnectionRegistry connections;

	private final Duration interval;

	private final DistributionSummary messages;

	private final DistributionSummary bytes;

	public OutboundQueueSampler(ConnectionRegistry connections, Duration interval, MeterRegistry meters) {
		this.connections = connections;
		this.interval = interval;
		this.messages = DistributionSummary.builder(GatewayMeters.OUTBOUND_QUEUE_MESSAGES)
			.baseUnit("messages")
			.serviceLevelObjectives(MESSAGE_BUCKETS)
			.register(meters);
		this.bytes = DistributionSummary.builder(GatewayMeters.OUTBOUND_QUEUE_BYTES)
			.baseUnit("bytes")
			.serviceLevelObjectives(BYTE_BUCKETS)
			.register(meters);
	}

	@Override
	protected Flux<?> schedule() {
		return Flux.interval(this.interval).onBackpressureDrop().doOnNext(tick -> sample());
	}

	void sample() {
		for (Connection connection : this.connections.all()) {
			this.messages.record(connection.outbound().size());
			this.bytes.record(connection.outbound().sizeInBytes());
		}
	}

}
