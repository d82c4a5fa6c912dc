package io.eventgateway.core.publish;

import java.util.function.Function;

import io.eventgateway.core.broker.Broker;
import io.eventgateway.core.event.RoomEvent;
import io.eventgateway.core.store.Appended;
import io.eventgateway.core.store.EventStore;
import io.eventgateway.core.store.NewEvent;
import reactor.core.publisher.Mono;

/**
 * The one publish pipeline, for WebSocket and HTTP publishers alike. Durable events are stored
 * before anyone is told of them; volatile events go straight to the broker.
 */
public final class EventPublisher {

	private final Broker broker;

	private final AppendLane[] lanes;

	private final LaneSelector laneSelector;

	public EventPublisher(EventStore store, Broker broker, PublishSettings settings) {
		this.broker = broker;
		this.laneSelector = LaneSelector.withRandomKey(settings.lanes());
		this.lanes = new AppendLane[settings.lanes()];
		for (int i = 0; i < this.lanes.length; i++) {
			this.lanes[i] = new AppendLane(store, broker, settings.maxBatch(), settings.maxPendingPerLane());
		}
	}

	/**
	 * Stores the event, fans it out, and answers it with its {@code seq}; a repeat of an id the room
	 * holds is answered as a duplicate with the first {@code seq}, and neither stored nor fanned out.
	 */
	public Mono<Appended> publishDurable(NewEvent event) {
		return laneOf(event.room()).submit(event);
	}

	/**
	 * Runs a write that stores its own durable event (in the same transaction as other data) in the
	 * room's lane, between two batches, and fans the event out in {@code seq} order with the room's
	 * other events. {@code announced} gives the write's event, or {@code null} when there is none.
	 */
	public <T> Mono<T> publishWith(String room, Mono<T> write, Function<T, RoomEvent> announced) {
		return laneOf(room).submitWrite(write, announced);
	}

	public Mono<Void> publishVolatile(RoomEvent event) {
		return this.broker.publish(event);
	}

	public int lanes() {
		return this.lanes.length;
	}

	/** Durable publishes (and writes) waiting in one lane for the store. */
	public int backlog(int lane) {
		return this.lanes[lane].backlog();
	}

	private AppendLane laneOf(String room) {
		return this.lanes[this.laneSelector.laneOf(room)];
	}

}
