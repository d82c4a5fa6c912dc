package io.eventgateway.core.broker;

import io.eventgateway.core.event.RoomEvent;
import reactor.core.publisher.Mono;

/**
 * The broker of a single instance: publishing is delivering. Events of one room reach the registry
 * in the order they were published, on the publishing thread.
 */
public final class LocalBroker implements Broker {

	private final EventDelivery delivery;

	public LocalBroker(EventDelivery delivery) {
		this.delivery = delivery;
	}

	@Override
	public Mono<Void> publish(RoomEvent event) {
		return Mono.fromRunnable(() -> this.delivery.deliver(event));
	}

	@Override
	public Mono<Void> subscribe(String room) {
		return Mono.empty();
	}

	@Override
	public Mono<Void> unsubscribe(String room) {
		return Mono.empty();
	}

}
