package io.eventgateway.core.broker;

import io.eventgateway.core.event.RoomEvent;

/** Receives the events a broker brings to this instance. Must not block. */
@FunctionalInterface
public interface EventDelivery {

	void deliver(RoomEvent event);

}
