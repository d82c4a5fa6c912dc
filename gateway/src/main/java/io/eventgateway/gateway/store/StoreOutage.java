package io.eventgateway.gateway.store;

import java.util.concurrent.ThreadLocalRandom;

import org.slf4j.Logger;

/**
 * A store failure as a client is told of it: a retry hint and an id that names the log line with
 * the cause. The cause is the driver's and may name hosts or statements, so it is logged, never
 * answered.
 */
public record StoreOutage(String correlationId) {

	/** Logs the cause under a new id. */
	public static StoreOutage logged(Logger logger, Throwable cause) {
		StoreOutage outage = new StoreOutage(nextId());
		logger.warn("store unavailable [correlation id {}]", outage.correlationId(), cause);
		return outage;
	}

	public String detail() {
		return "the store is unavailable; retry later (correlation id " + this.correlationId + ")";
	}

	// Not secrets, so a thread-local generator: UUID.randomUUID reads the system's entropy source,
	// which may block an event loop.
	private static String nextId() {
		ThreadLocalRandom random = ThreadLocalRandom.current();
		return Long.toHexString(random.nextLong() | Long.MIN_VALUE) + Long.toHexString(random.nextLong() | Long.MIN_VALUE);
	}

}
