package io.eventgateway.core.store;

import io.eventgateway.core.event.RoomEvent;

/**
 * What became of one event of an append: stored now, or a repeat of an id the room already holds.
 *
 * @param event the stored event; for a duplicate, the new one carrying the first event's {@code seq}
 * @param duplicate whether the room already held the event's id, so nothing was stored or is delivered
 */
public record Appended(RoomEvent event, boolean duplicate) {

	public static Appended stored(RoomEvent event) {
		return new Appended(event, false);
	}

	public static Appended duplicateOf(NewEvent event, long firstSeq) {
		return new Appended(event.numbered(firstSeq), true);
	}

}
