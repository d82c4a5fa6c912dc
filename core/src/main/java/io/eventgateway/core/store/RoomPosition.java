package io.eventgateway.core.store;

/**
 * Where a room's history stands.
 * @param seq the newest {@code seq}, 0 for a room without events
 * @param epoch names the lineage of the history; it changes only when history is lost or reset
 * @param prunedThrough every event with {@code seq <= prunedThrough} has been removed by retention
 */
public record RoomPosition(long seq, String epoch, long prunedThrough) {

	/** Whether every event after {@code since} is still stored. */
	public boolean canReplayFrom(long since) {
		return since >= this.prunedThrough && since <= this.seq;
	}

}
