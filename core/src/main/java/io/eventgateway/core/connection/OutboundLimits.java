package io.eventgateway.core.connection;

/**
 * Bounds of one connection's outbound queue.
 * @param maxMessages messages queued at most
 * @param maxBytes bytes queued at most
 * @param maxFrameBytes a frame gathers queued messages up to this size (a bigger single message
 * still goes out alone)
 * @param volatileShare fraction of both bounds that volatile messages may fill; past it they are
 * dropped, which keeps the rest for durable events
 */
public record OutboundLimits(int maxMessages, long maxBytes, int maxFrameBytes, double volatileShare) {

	public OutboundLimits {
		if (maxMessages < 1 || maxBytes < 1 || maxFrameBytes < 1) {
			throw new IllegalArgumentException("outbound limits must be positive");
		}
		if (volatileShare <= 0 || volatileShare > 1) {
			throw new IllegalArgumentException("volatileShare must be in (0, 1], got " + volatileShare);
		}
	}

}
