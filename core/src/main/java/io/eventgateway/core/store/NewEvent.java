package io.eventgateway.core.store;

import io.eventgateway.core.event.RoomEvent;

/**
 * A durable event accepted for storage, before it has its {@code seq}.
 *
 * @param id the publisher's event id, unique in the room: a repeat is not stored again; or {@code null}
 * @param from the user whose request published it, or {@code null}
 */
public record NewEvent(String room, String event, String data, long timestamp, String id, String from) {

	/** An event without id or user. */
	public NewEvent(String room, String event, String data, long timestamp) {
		this(room, event, data, timestamp, null, null);
	}

	/** The event as stored with this {@code seq}. */
	public RoomEvent numbered(long seq) {
		return new RoomEvent(this.room, seq, this.event, this.data, this.timestamp, this.id,
				this.from);
	}

}
