package io.eventgateway.gateway.websocket;

import java.util.concurrent.atomic.AtomicInteger;

import io.eventgateway.gateway.metrics.GatewayMeters;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Connections whose socket is not writable now, and the time they spent so. Each connection keeps
 * when its spell began (0 while writable); the time is counted when the spell ends, by writability
 * coming back or by the close.
 */
final class UnwritableTime {

	private static final double NANOS_PER_SECOND = 1e9;

	private final AtomicInteger unwritable = new AtomicInteger();

	private final Counter seconds;

	UnwritableTime(MeterRegistry meters) {
		Gauge.builder(GatewayMeters.CONNECTIONS_UNWRITABLE, this.unwritable, AtomicInteger::get).register(meters);
		this.seconds = Counter.builder(GatewayMeters.UNWRITABLE_TIME).baseUnit("seconds").register(meters);
	}

	/**
	 * @param since when the connection's current spell began, 0 when it was writable
	 * @return when its spell began now, 0 when it is writable
	 */
	long changed(long since, boolean writable) {
		if (!writable && since == 0) {
			this.unwritable.incrementAndGet();
			long now = System.nanoTime();
			// 0 means writable: a spell that begins at nanoTime 0 is taken as beginning at 1.
			return (now == 0) ? 1 : now;
		}
		if (writable && since != 0) {
			this.unwritable.decrementAndGet();
			this.seconds.increment((System.nanoTime() - since) / NANOS_PER_SECOND);
			return 0;
		}
		return since;
	}

}
