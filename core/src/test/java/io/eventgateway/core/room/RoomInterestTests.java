package io.eventgateway.core.room;

import java.util.List;

import io.eventgateway.core.event.RoomEvent;
import io.eventgateway.core.testing.ControllableBroker;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

import static org.assertj.core.api.Assertions.assertThat;

class RoomInterestTests {

	private final RoomRegistry registry = new RoomRegistry();

	private final ControllableBroker broker = new ControllableBroker(this.registry);

	private final RoomInterest interest = new RoomInterest(this.registry, this.broker);

	private static RoomMember member(String user) {
		return new RoomMember() {

			@Override
			public void deliver(RoomEvent event) {
			}

			@Override
			public String user() {
				return user;
			}

		};
	}

	@Test
	void everyJoinerWaitsForTheOneSubscribeInFlight() {
		Mono<Void> first = this.interest.join("r", member("a"));
		Mono<Void> second = this.interest.join("r", member("b"));
		Mono<Void> third = this.interest.join("r", member("c"));
		assertThat(this.broker.calls()).containsExactly("subscribe r");
		assertThat(this.registry.memberCount("r")).as("members receive events while they wait").isEqualTo(3);

		StepVerifier first1 = StepVerifier.create(first).expectComplete().verifyLater();
		StepVerifier second1 = StepVerifier.create(second).expectComplete().verifyLater();
		StepVerifier third1 = StepVerifier.create(third).expectComplete().verifyLater();
		assertThat(completes(second)).as("nobody is answered before the subscription exists").isFalse();

		this.broker.confirmSubscribe();
		first1.verify();
		second1.verify();
		third1.verify();
		StepVerifier.create(this.interest.join("r", member("d"))).as("a later joiner finds it active").verifyComplete();
		assertThat(this.broker.calls()).containsExactly("subscribe r");
	}

	@Test
	void aFailedSubscribeFailsEveryJoinerThatWaitedAndTheNextJoinerTriesAgain() {
		Mono<Void> first = this.interest.join("r", member("a"));
		Mono<Void> second = this.interest.join("r", member("b"));
		StepVerifier firstFails = StepVerifier.create(first).expectErrorMessage("redis down").verifyLater();
		StepVerifier secondFails = StepVerifier.create(second).expectErrorMessage("redis down").verifyLater();

		this.broker.failSubscribe(new IllegalStateException("redis down"));
		firstFails.verify();
		secondFails.verify();
		assertThat(this.registry.memberCount("r")).as("every waiting joiner was undone").isZero();

		Mono<Void> third = this.interest.join("r", member("c"));
		assertThat(this.broker.calls()).containsExactly("subscribe r", "unsubscribe r", "subscribe r");
		StepVerifier thirdJoins = StepVerifier.create(third).expectComplete().verifyLater();
		this.broker.confirmSubscribe();
		thirdJoins.verify();
		assertThat(this.registry.memberCount("r")).isEqualTo(1);
	}

	@Test
	void theLastLeaveUnsubscribesOnlyAfterTheSubscribeInFlightAndANewJoinWaitsForThat() {
		RoomMember a = member("a");
		this.interest.join("r", a).subscribe();
		this.interest.leave("r", a);
		assertThat(this.broker.calls()).as("no unsubscribe while the subscribe is in flight").containsExactly("subscribe r");

		RoomMember b = member("b");
		Mono<Void> rejoin = this.interest.join("r", b);
		this.broker.confirmSubscribe();
		assertThat(this.broker.calls()).containsExactly("subscribe r", "unsubscribe r", "subscribe r");
		StepVerifier rejoined = StepVerifier.create(rejoin).expectComplete().verifyLater();
		this.broker.confirmSubscribe();
		rejoined.verify();
	}

	@Test
	void noUnsubscribeWhileAMemberRemains() {
		RoomMember a = member("a");
		RoomMember b = member("b");
		this.interest.join("r", a).subscribe();
		this.interest.join("r", b).subscribe();
		this.broker.confirmSubscribe();
		this.interest.leave("r", a);
		this.interest.leave("r", a);
		assertThat(this.broker.calls()).containsExactly("subscribe r");
		assertThat(this.interest.isInterested("r")).isTrue();
		this.interest.leave("r", b);
		assertThat(this.broker.calls()).containsExactly("subscribe r", "unsubscribe r");
		assertThat(this.interest.isInterested("r")).isFalse();
		assertThat(this.interest.roomCount()).as("the room is forgotten once its unsubscribe finished").isZero();
	}

	@Test
	void roomsAreIndependent() {
		this.interest.join("r1", member("a")).subscribe();
		this.interest.join("r2", member("a")).subscribe();
		assertThat(this.broker.calls()).containsExactlyInAnyOrderElementsOf(List.of("subscribe r1", "subscribe r2"));
	}

	private static boolean completes(Mono<Void> mono) {
		boolean[] done = new boolean[1];
		mono.subscribe(null, error -> done[0] = true, () -> done[0] = true).dispose();
		return done[0];
	}

}
