package io.eventgateway.core.broker;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.eventgateway.core.event.RoomEvent;
import io.eventgateway.core.store.RoomPosition;
import io.eventgateway.core.testing.ControllableEventStore;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

import static org.assertj.core.api.Assertions.assertThat;

class LocalBrokerTests {

	private final ControllableEventStore store = new ControllableEventStore();

	private final List<RoomEvent> delivered = new CopyOnWriteArrayList<>();

	private final LocalBroker broker = new LocalBroker(this.delivered::add, this.store);

	private RoomEvent publish(String room) {
		RoomEvent stored = this.store.store(room, "{}");
		this.broker.publish(stored).block();
		return stored;
	}

	@Test
	void aSubscribedRoomsPositionIsReadFromTheStoreOnceThenFollowsWhatIsDelivered() {
		publish("r");
		this.broker.subscribe("r").block();
		RoomPosition first = this.broker.position("r").block();
		assertThat(first.seq()).isEqualTo(1);
		publish("r");
		publish("r");
		this.store.positionsFail.set(true);
		RoomPosition later = this.broker.position("r").block();
		assertThat(later.seq()).isEqualTo(3);
		assertThat(later.epoch()).isEqualTo(first.epoch());
		assertThat(this.store.positionReads.get()).isEqualTo(1);
		assertThat(this.delivered).hasSize(3);
	}

	@Test
	void whatIsDeliveredWhileTheFirstReadIsInFlightMovesThePositionUp() {
		this.broker.subscribe("r").block();
		this.store.holdPositions();
		StepVerifier read = StepVerifier.create(this.broker.position("r"))
			.assertNext(position -> assertThat(position.seq()).as("the event delivered meanwhile counts").isEqualTo(1))
			.expectComplete()
			.verifyLater();
		// The store said 0; the answer arrives after an event was stored and delivered.
		publish("r");
		this.store.releasePositions();
		read.verify();
		assertThat(this.broker.position("r").block().seq()).isEqualTo(1);
	}

	@Test
	void roomsNotSubscribedAreAlwaysReadFromTheStore() {
		publish("r");
		this.broker.position("r").block();
		this.broker.position("r").block();
		assertThat(this.store.positionReads.get()).isEqualTo(2);
		this.broker.subscribe("r").block();
		this.broker.position("r").block();
		this.broker.unsubscribe("r").block();
		this.broker.position("r").block();
		assertThat(this.store.positionReads.get()).isEqualTo(4);
	}

}
