package io.eventgateway.core.room;

import io.eventgateway.core.event.RoomEvent;

/** One connection's membership of one room. Delivery must not block or wait for the client. */
public interface RoomMember {

	void deliver(RoomEvent event);

	/** The user the connection authenticated as, for presence. */
	String user();

}
