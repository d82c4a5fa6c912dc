package io.eventgateway.gateway.support;

import java.util.concurrent.ThreadLocalRandom;

/**
 * Ids that tie an answer to the log line holding its cause. Not secrets: drawn from a thread-local
 * generator, since {@code UUID.randomUUID()} reads the system's entropy source, which may block an
 * event loop.
 */
public final class CorrelationIds {

	private CorrelationIds() {
	}

	public static String next() {
		ThreadLocalRandom random = ThreadLocalRandom.current();
		return Long.toHexString(random.nextLong() | Long.MIN_VALUE) + Long.toHexString(random.nextLong() | Long.MIN_VALUE);
	}

}
