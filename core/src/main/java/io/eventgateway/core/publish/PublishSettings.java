package io.eventgateway.core.publish;

/**
 * How durable publishes are grouped into store batches.
 * @param lanes number of independent append lanes; a room always uses the same lane, so its events
 * are stored and fanned out one batch after another, in {@code seq} order
 * @param maxBatch most events in one store batch
 * @param maxPendingPerLane publishes waiting in one lane before new ones are refused
 */
public record PublishSettings(int lanes, int maxBatch, int maxPendingPerLane) {

	public PublishSettings {
		if (lanes < 1 || maxBatch < 1 || maxPendingPerLane < 1) {
			throw new IllegalArgumentException("lanes, maxBatch and maxPendingPerLane must be at least 1");
		}
	}

}
