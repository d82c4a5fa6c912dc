package io.eventgateway.gateway.testing;

import reactor.blockhound.BlockHound;
import reactor.blockhound.integration.BlockHoundIntegration;

/**
 * Locks that libraries on the event path hold for a few instructions, which a thread that finds one
 * taken waits for: not I/O, so tolerated, and only there. Under load from several event loops they
 * are contended; without this BlockHound would throw inside the library's critical section (and in
 * Lettuce's case leave its lock spinning forever).
 * <ul>
 * <li>Lettuce lets one thread at a time put a command on a connection's queue; on a Redis Cluster it
 * locks the provider's state while it sets up a new node connection (the lambda of
 * {@code NodeConnectionPostProcessor#apply}, named as Lettuce 7.5 compiles it), which two
 * connections opened at once contend for.</li>
 * <li>Resilience4j records each call's outcome in a circuit breaker's sliding window.</li>
 * <li>Netty's adaptive buffer allocator locks a shared magazine while it retires it (when it grows
 * its magazines under contention from several event loops).</li>
 * </ul>
 */
public final class BriefLibraryLocks implements BlockHoundIntegration {

	@Override
	public void applyTo(BlockHound.Builder builder) {
		builder.allowBlockingCallsInside("io.lettuce.core.protocol.SharedLock", "incrementWriters");
		builder.allowBlockingCallsInside("io.lettuce.core.protocol.SharedLock", "decrementWriters");
		builder.allowBlockingCallsInside("io.lettuce.core.protocol.SharedLock", "doExclusive");
		builder.allowBlockingCallsInside("io.lettuce.core.cluster.PooledClusterConnectionProvider$NodeConnectionPostProcessor",
				"lambda$apply$4");
		builder.allowBlockingCallsInside("io.github.resilience4j.core.metrics.FixedSizeSlidingWindowMetrics", "record");
		builder.allowBlockingCallsInside("io.github.resilience4j.core.metrics.FixedSizeSlidingWindowMetrics", "getSnapshot");
		builder.allowBlockingCallsInside("io.netty.buffer.AdaptivePoolingAllocator$Magazine", "free");
		builder.allowBlockingCallsInside("io.netty.buffer.AdaptivePoolingAllocator$MagazineGroup", "free");
	}

}
