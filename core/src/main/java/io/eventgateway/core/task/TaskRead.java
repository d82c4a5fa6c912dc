package io.eventgateway.core.task;

import io.eventgateway.core.store.RoomPosition;

/**
 * A task as read, with the position of the team's room that the answer reflects: a client that
 * joins the room with {@code since = position.seq()} receives exactly the changes it has not seen.
 * @param cacheHit whether a cache answered rather than the store
 */
public record TaskRead(Task task, RoomPosition position, boolean cacheHit) {

	public TaskRead fromCache() {
		return this.cacheHit ? this : new TaskRead(this.task, this.position, true);
	}

}
