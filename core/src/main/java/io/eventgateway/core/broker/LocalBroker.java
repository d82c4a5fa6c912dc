package io.eventgateway.core.broker;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.eventgateway.core.event.RoomEvent;
import io.eventgateway.core.store.EventStore;
import io.eventgateway.core.store.RoomPosition;
import io.eventgateway.core.store.RoomPositions;
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
public final class LocalBroker implements Broker, RoomPositions {

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

	@Override
	public Mono<RoomPosition> position(String room) {
		Head head = this.heads.get(room);
		RoomPosition known = (head != null) ? head.known() : null;
		if (known != null) {
			return Mono.just(known);
		}
		return this.store.position(room).map(read -> (head != null) ? head.learn(read) : read);
	}

	/** One subscribed room's newest seq: unknown until the store was read once. */
	private static final class Head {

		private RoomPosition position;

		/** The newest seq delivered, also before the position is known. */
		private long delivered;

		synchronized void delivered(long seq) {
			this.delivered = Math.max(this.delivered, seq);
			if (this.position != null && seq > this.position.seq()) {
				this.position = new RoomPosition(seq, this.position.epoch(), this.position.prunedThrough());
			}
		}

		synchronized RoomPosition known() {
			return this.position;
		}

		/** Takes a position read from the store, moved up by what was delivered meanwhile. */
		synchronized RoomPosition learn(RoomPosition read) {
			long seq = Math.max(read.seq(), this.delivered);
			if (this.position == null || seq > this.position.seq()) {
				this.position = new RoomPosition(seq, read.epoch(), read.prunedThrough());
			}
			return this.position;
		}

	}

}
