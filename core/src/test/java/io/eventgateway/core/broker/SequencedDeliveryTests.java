package io.eventgateway.core.broker;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.eventgateway.core.event.RoomEvent;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class SequencedDeliveryTests {

	private final InMemoryEventStore store = new InMemoryEventStore();

	private final List<RoomEvent> delivered = new CopyOnWriteArrayList<>();

	private final SequencedDelivery delivery = new SequencedDelivery(this.delivered::add, this.store, 100);

	@BeforeEach
	void trackRoom() {
		this.store.store("r", "0");
		this.delivery.track("r").block();
	}

	private List<Long> seqs() {
		return this.delivered.stream().map(RoomEvent::seq).toList();
	}

	@Test
	void eventsInOrderPassAndDuplicatesAndOldOnesAreDropped() {
		RoomEvent two = this.store.store("r", "2");
		RoomEvent three = this.store.store("r", "3");
		this.delivery.deliver(two);
		this.delivery.deliver(two);
		this.delivery.deliver(three);
		this.delivery.deliver(new RoomEvent("r", 1, "e", "old", 1));
		assertThat(seqs()).containsExactly(2L, 3L);
	}

	@Test
	void aGapIsFilledFromTheStoreBeforeLaterEvents() {
		this.store.store("r", "2");
		this.store.store("r", "3");
		RoomEvent four = this.store.store("r", "4");
		this.delivery.deliver(four);
		assertThat(seqs()).containsExactly(2L, 3L, 4L);
		assertThat(this.delivered.get(0).data()).isEqualTo("2");
	}

	@Test
	void anEventThatOvertookAnotherWaitsAndTheLateOneIsDroppedAsDuplicate() {
		RoomEvent two = this.store.store("r", "2");
		RoomEvent three = this.store.store("r", "3");
		this.store.readsFail.set(true);
		this.delivery.deliver(three);
		assertThat(seqs()).as("nothing out of order while the gap is open").isEmpty();
		this.store.readsFail.set(false);
		this.delivery.deliver(two);
		await().atMost(Duration.ofSeconds(5)).until(() -> seqs().equals(List.of(2L, 3L)));
		this.delivery.deliver(two);
		assertThat(seqs()).containsExactly(2L, 3L);
	}

	@Test
	void aStoreThatFailsIsAskedAgainRatherThanTheGapSkipped() {
		this.store.store("r", "2");
		RoomEvent three = this.store.store("r", "3");
		this.store.readsFail.set(true);
		this.delivery.deliver(three);
		this.store.readsFail.set(false);
		await().atMost(Duration.ofSeconds(5)).until(() -> seqs().equals(List.of(2L, 3L)));
	}

	@Test
	void catchUpBringsEventsThatNeverArrived() {
		this.store.store("r", "2");
		this.store.store("r", "3");
		this.delivery.catchUpAll().block();
		await().atMost(Duration.ofSeconds(5)).until(() -> seqs().equals(List.of(2L, 3L)));
	}

	@Test
	void volatileEventsAndUntrackedRoomsPassStraightThrough() {
		this.delivery.deliver(RoomEvent.volatileEvent("r", "typing", "{}", 1));
		this.delivery.deliver(new RoomEvent("other", 7, "e", "{}", 1));
		assertThat(seqs()).containsExactly(0L, 7L);
	}

}
