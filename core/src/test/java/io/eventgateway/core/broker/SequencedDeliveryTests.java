package io.eventgateway.core.broker;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.eventgateway.core.event.RoomEvent;
import io.eventgateway.core.testing.ControllableEventStore;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class SequencedDeliveryTests {

	private final ControllableEventStore store = new ControllableEventStore();

	private final List<RoomEvent> delivered = new CopyOnWriteArrayList<>();

	private final SequencedDelivery delivery = new SequencedDelivery(this.delivered::add, this.store, 100);

	@BeforeEach
	void trackRoom() {
		this.store.store("r", "0");
		this.delivery.begin("r");
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
	void aSweepOfManyRoomsReadsTheirHeadsInBoundedBatchesAndFillsOnlyTheRoomsBehind() {
		for (int i = 0; i < 1000; i++) {
			this.delivery.begin("room-" + i);
			this.delivery.track("room-" + i).block();
		}
		this.store.store("room-500", "missed");
		int positionsBefore = this.store.positionReads.get();
		this.delivery.catchUpAll().block();
		assertThat(this.store.newestSeqReads.get()).as("1,001 rooms, 100 a call").isEqualTo(11);
		assertThat(this.store.largestNewestSeqRead.get()).isEqualTo(100);
		assertThat(this.store.positionReads.get()).as("no read per room").isEqualTo(positionsBefore);
		await().atMost(Duration.ofSeconds(5)).until(() -> this.delivered.size() == 1);
		assertThat(this.delivered.get(0).room()).isEqualTo("room-500");
		assertThat(this.delivered.get(0).data()).isEqualTo("missed");
	}

	@Test
	void aSweepWhoseStoreFailsGoesOnWithTheNextBatchAndFailsNothing() {
		this.store.store("r", "2");
		this.store.positionsFail.set(true);
		this.delivery.catchUpAll().block();
		assertThat(this.delivered).isEmpty();
		this.store.positionsFail.set(false);
		this.delivery.catchUpAll().block();
		await().atMost(Duration.ofSeconds(5)).until(() -> seqs().equals(List.of(2L)));
	}

	@Test
	void volatileEventsPassStraightThroughAndDurableOnesOfUntrackedRoomsAreNotDelivered() {
		this.delivery.deliver(RoomEvent.volatileEvent("r", "typing", "{}", 1, null, null));
		this.delivery.deliver(new RoomEvent("other", 7, "e", "{}", 1));
		this.delivery.deliver(RoomEvent.volatileEvent("other", "typing", "{}", 1, null, null));
		assertThat(this.delivered).extracting(RoomEvent::room).containsExactly("r", "other");
		assertThat(seqs()).containsExactly(0L, 0L);
	}

	@Test
	void eventsArrivingBeforeTheSubscriptionIsConfirmedWaitAndGoOutInOrderFromThePosition() {
		RoomEvent one = this.store.store("fresh", "1");
		RoomEvent two = this.store.store("fresh", "2");
		this.delivery.begin("fresh");
		// Overtaken and duplicated on the way, and older than the position read below.
		this.delivery.deliver(two);
		this.delivery.deliver(one);
		RoomEvent three = this.store.store("fresh", "3");
		RoomEvent four = this.store.store("fresh", "4");
		this.delivery.deliver(four);
		this.delivery.deliver(two);
		assertThat(seqs()).as("nothing before the position is known").isEmpty();

		this.store.store("fresh", "5");
		this.delivery.track("fresh").block();
		assertThat(this.delivered).as("everything up to the position read is behind the members").isEmpty();
		this.delivery.deliver(three);
		this.delivery.deliver(new RoomEvent("fresh", 6, "e", "6", 1));
		assertThat(seqs()).containsExactly(6L);
	}

	@Test
	void aGapWhoseStartWasPrunedIsSkippedToWhatTheStoreStillHas() {
		for (int i = 2; i <= 6; i++) {
			this.store.store("r", String.valueOf(i));
		}
		RoomEvent seven = this.store.store("r", "7");
		// Retention removed 2..4; 5 and 6 are still stored, 7 arrives from the broker.
		this.store.prune(Long.MIN_VALUE, 3).block();
		this.delivery.deliver(seven);
		await().atMost(Duration.ofSeconds(5)).until(() -> seqs().equals(List.of(5L, 6L, 7L)));
	}

	@Test
	void aCatchUpWhoseStartWasPrunedStillBringsTheRest() {
		for (int i = 2; i <= 6; i++) {
			this.store.store("r", String.valueOf(i));
		}
		this.store.prune(Long.MIN_VALUE, 2).block();
		this.delivery.catchUpAll().block();
		await().atMost(Duration.ofSeconds(5)).until(() -> seqs().equals(List.of(5L, 6L)));
	}

	@Test
	void aForgottenRoomDeliversNothingMoreEvenFromAFillInFlight() {
		this.store.store("r", "2");
		RoomEvent three = this.store.store("r", "3");
		this.store.readsFail.set(true);
		this.delivery.deliver(three);
		this.delivery.forget("r");
		this.store.readsFail.set(false);
		this.delivery.begin("r");
		this.delivery.track("r").block();
		RoomEvent four = this.store.store("r", "4");
		this.delivery.deliver(four);
		await().pollDelay(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(5)).until(() -> true);
		assertThat(seqs()).containsExactly(4L);
	}

}
