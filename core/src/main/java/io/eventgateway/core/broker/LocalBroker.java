package io.eventgateway.core.broker;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.eventgateway.core.event.RoomEvent;
import io.eventgateway.core.store.EventStore;
import io.eventgateway.core.store.RoomPosition;
import reactor.core.publisher.Mono;

/**
 * The broker of a single instance: publishing is delivering. Events of one room reach the registry
 * in the order they were published, on the publishing thread.
 *
 * <p>Every durable event this instance stores passes here before it reaches a member, so for the
 * rooms it is subscribed to it knows each room's newest {@code seq} and answers a join's position
 * without asking the store (and without leaving the joining thread). Once the store told it where a
 * room stands, every event delivered since moves that head before the members see the event: a
 * joiner registered before it reads the head receives every later event.
 */
public final class LocalBroker implements Broker {

	private final EventDelivery delivery;

	private final EventStore store;

	private final Map<String, Head> heads = new ConcurrentHashMap<>();

	public LocalBroker(EventDelivery delivery, EventStore store) {
		this.delivery = delivery;
		this.store = store;
	}

	@Override
	public Mono<Void> publish(RoomEvent event) {
		return Mono.fromRunnable(() -> deliver(event));
	}

	private void deliver(RoomEvent event) {
		if (event.isDurable()) {
			Head head = this.heads.get(event.room());
			if (head != null) {
				head.delivered(event.seq());
			}
		}
		this.delivery.deliver(event);
	}

	@Override
	public Mono<Void> subscribe(String room) {
		return Mono.fromRunnable(() -> this.heads.computeIfAbsent(room, name -> new Head()));
	}

	@Override
	public Mono<Void> unsubscribe(String room) {
		return Mono.fromRunnable(() -> this.heads.remove(room));
	}

	/** The room's position: known at once for a subscribed room, once the store was read for it. */
	public Mono<RoomPosition> position(String room) {
		Head head = this.heads.get(room);
		RoomPosition known = (head != null) ? head.known() : null;
		if (known != null) {
			return Mono.just(known);
		}
		return this.store.position(room).map(read -> (head != null) ? head.learn(read) : read);
	}

	/**
	 * One subscribed room's newest seq, moved by every delivery (also before the store was read, so
	 * that a read that raced a delivery is moved up by it); its lineage comes from the store read.
	 */
	private static final class Head {

		private long seq;

		private RoomPosition read;

		synchronized void delivered(long delivered) {
			this.seq = Math.max(this.seq, delivered);
		}

		synchronized RoomPosition known() {
			return (this.read == null) ? null : new RoomPosition(this.seq, this.read.epoch(), this.read.prunedThrough());
		}

		synchronized RoomPosition learn(RoomPosition read) {
			this.seq = Math.max(this.seq, read.seq());
			this.read = read;
			return known();
		}

	}

}
