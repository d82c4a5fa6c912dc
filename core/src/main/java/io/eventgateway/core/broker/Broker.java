package io.eventgateway.core.broker;

import java.util.List;

import io.eventgateway.core.event.RoomEvent;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Carries room events to every instance that has local members of the room. An instance declares
 * its interest when a room gets its first local member and withdraws it after the last one left.
 * Events reach the local {@link io.eventgateway.core.room.RoomRegistry} through the
 * {@link EventDelivery} given to the broker.
 */
public interface Broker {

	/** Hands an event to every interested instance, this one included. */
	Mono<Void> publish(RoomEvent event);

	/**
	 * Hands a stored batch to every interested instance, in order. Brokers that pay per message
	 * send each room's part of the batch as one.
	 */
	default Mono<Void> publishAll(List<RoomEvent> events) {
		return Flux.fromIterable(events).concatMap(this::publish).then();
	}

	/** Starts receiving the room's events on this instance. */
	Mono<Void> subscribe(String room);

	/** Stops receiving the room's events on this instance. */
	Mono<Void> unsubscribe(String room);

}
