package io.eventgateway.core.connection;

import java.util.List;
import java.util.stream.LongStream;

import io.eventgateway.core.event.RoomEvent;
import io.eventgateway.core.room.LocalPresence;
import io.eventgateway.core.room.RoomInterest;
import io.eventgateway.core.room.RoomRegistry;
import io.eventgateway.core.store.RoomPosition;
import io.eventgateway.core.testing.ControllableBroker;
import io.eventgateway.core.testing.ControllableEventStore;
import io.eventgateway.core.testing.RecordingConnection;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

import static org.assertj.core.api.Assertions.assertThat;

/** Joins, replays and leaves against in-memory twins of the store and a broker that answers later. */
class MembershipsTests {

	private final ControllableEventStore store = new ControllableEventStore();

	private final RoomRegistry registry = new RoomRegistry();

	private final ControllableBroker broker = new ControllableBroker(this.registry);

	private final Memberships memberships = new Memberships(new RoomInterest(this.registry, this.broker),
			new LocalPresence(this.registry), this.store::position, new Recovery(this.store, 100, 2), 50, () -> {
			});

	private static final Memberships.JoinedReply JOINED = (position, recovered) -> ("{\"type\":\"joined\",\"seq\":"
			+ position.seq() + ",\"epoch\":\"" + position.epoch() + "\",\"recovered\":" + recovered + "}").getBytes();

	private Mono<Void> join(RecordingConnection client, String room, Long since, String epoch) {
		return this.memberships.join(client.connection(), room, since, epoch, JOINED);
	}

	/** Stores an event and hands it to the broker, which carries it only where it is subscribed. */
	private RoomEvent publish(String room) {
		RoomEvent stored = this.store.store(room, "{}");
		this.broker.publish(stored).block();
		return stored;
	}

	private static long joinedSeq(RecordingConnection client) {
		String joined = client.lines().stream().filter(line -> line.contains("\"joined\"")).findFirst().orElseThrow();
		return Long.parseLong(joined.replaceAll(".*\"seq\":(\\d+).*", "$1"));
	}

	@Test
	void joinersOfAFreshRoomAreAnsweredOnlyOnceTheSubscriptionExistsAndMissNothingAfterTheirSeq() {
		List<RecordingConnection> joiners = List.of(new RecordingConnection("a"), new RecordingConnection("b"),
				new RecordingConnection("c"));
		List<StepVerifier> joined = joiners.stream()
			.map(client -> StepVerifier.create(join(client, "fresh", null, null)).expectComplete().verifyLater())
			.toList();
		// Published elsewhere before this instance's subscription is active: the broker does not carry it.
		publish("fresh");
		assertThat(joiners).allSatisfy(client -> assertThat(client.lines()).as("no one answered yet").isEmpty());

		this.broker.confirmSubscribe();
		joined.forEach(StepVerifier::verify);
		publish("fresh");
		publish("fresh");

		for (RecordingConnection client : joiners) {
			long seq = joinedSeq(client);
			assertThat(client.eventSeqs()).as("every event after joined.seq " + seq)
				.containsExactlyElementsOf(LongStream.rangeClosed(seq + 1, 3).boxed().toList());
		}
		assertThat(this.broker.calls()).containsExactly("subscribe fresh");
	}

	@Test
	void aFailedSubscribeFailsEveryJoinerAndUndoesTheirMemberships() {
		RecordingConnection a = new RecordingConnection("a");
		RecordingConnection b = new RecordingConnection("b");
		StepVerifier aFails = StepVerifier.create(join(a, "r", null, null)).expectErrorMessage("broker down").verifyLater();
		StepVerifier bFails = StepVerifier.create(join(b, "r", null, null)).expectErrorMessage("broker down").verifyLater();

		this.broker.failSubscribe(new IllegalStateException("broker down"));
		aFails.verify();
		bFails.verify();
		assertThat(a.connection().roomCount()).isZero();
		assertThat(b.connection().roomCount()).isZero();
		assertThat(this.registry.memberCount("r")).isZero();
		assertThat(this.registry.presence("r")).isEmpty();
	}

	@Test
	void liveEventsDuringAReplayAreHeldBackAndFollowTheJoinedReplyOnceEach() {
		RecordingConnection member = subscribedMember("r");
		for (int i = 0; i < 5; i++) {
			publish("r");
		}
		RecordingConnection rejoining = new RecordingConnection("b");
		this.store.holdReads();
		join(rejoining, "r", 2L, epoch("r")).subscribe();
		RoomEvent six = publish("r");
		this.registry.deliver(six);
		publish("r");
		assertThat(rejoining.lines()).as("nothing before the replay").isEmpty();

		this.store.releaseReads();
		List<String> lines = rejoining.lines();
		assertThat(lines).hasSize(6);
		assertThat(lines.get(3)).contains("\"joined\"").contains("\"seq\":5").contains("\"recovered\":true");
		assertThat(rejoining.eventSeqs()).containsExactly(3L, 4L, 5L, 6L, 7L);
		assertThat(member.eventSeqs()).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L);
	}

	@Test
	void aReplayLongerThanTheQueueHoldsReachesASlowReaderWholeWithoutClosingIt() {
		for (int i = 0; i < 40; i++) {
			this.store.store("big", "\"" + "x".repeat(900) + "\"");
		}
		// Room for 8 messages or 4 KB: less than one replay page (pageSize 2 here, 50 in a test below).
		RecordingConnection rejoining = new RecordingConnection("slow", 8, 4_096);
		Memberships pagedBy50 = new Memberships(new RoomInterest(this.registry, this.broker), new LocalPresence(this.registry),
				this.store::position, new Recovery(this.store, 100, 50), 50, () -> {
				});
		rejoining.pauseReading();
		StepVerifier joined = StepVerifier.create(pagedBy50.join(rejoining.connection(), "big", 0L, epoch("big"), JOINED))
			.expectComplete()
			.verifyLater();
		this.broker.confirmSubscribe();
		for (int frames = 0; frames < 200 && rejoining.lines().stream().noneMatch(line -> line.contains("\"joined\"")); frames++) {
			assertThat(rejoining.closes()).as("closed while replaying").isEmpty();
			rejoining.readOneFrame();
		}
		rejoining.resumeReading();
		joined.verify();
		assertThat(rejoining.closes()).isEmpty();
		assertThat(rejoining.eventSeqs()).containsExactlyElementsOf(LongStream.rangeClosed(1, 40).boxed().toList());
	}

	@Test
	void aJoinThatCannotBeRecoveredSaysSoAndReplaysNothing() {
		subscribedMember("r");
		for (int i = 0; i < 5; i++) {
			publish("r");
		}
		String epoch = epoch("r");
		assertThat(recovered(new RecordingConnection("other-epoch"), 1L, "another")).isFalse();
		assertThat(recovered(new RecordingConnection("beyond"), 9L, epoch)).isFalse();
		assertThat(recovered(new RecordingConnection("fine"), 1L, epoch)).isTrue();

		this.store.prune(Long.MIN_VALUE, 2).block();
		assertThat(recovered(new RecordingConnection("pruned"), 1L, epoch)).isFalse();
		assertThat(recovered(new RecordingConnection("kept"), 3L, epoch)).isTrue();
	}

	@Test
	void eventsPrunedWhileAReplayWaitsGiveNoPartialReplay() {
		subscribedMember("r");
		for (int i = 0; i < 5; i++) {
			publish("r");
		}
		RecordingConnection rejoining = new RecordingConnection("b");
		this.store.holdReads();
		join(rejoining, "r", 0L, epoch("r")).subscribe();
		this.store.prune(Long.MIN_VALUE, 2).block();
		this.store.releaseReads();
		assertThat(rejoining.lines()).hasSize(1);
		assertThat(rejoining.lines().get(0)).contains("\"recovered\":false").contains("\"seq\":5");
		publish("r");
		assertThat(rejoining.eventSeqs()).containsExactly(6L);
	}

	@Test
	void aMemberGetsEachDurableEventOnceInOrderAndLeavingStopsDelivery() {
		RecordingConnection member = subscribedMember("r");
		RoomEvent one = publish("r");
		this.registry.deliver(one);
		RoomEvent two = publish("r");
		this.registry.deliver(one);
		this.registry.deliver(two);
		assertThat(member.eventSeqs()).containsExactly(1L, 2L);

		assertThat(this.memberships.leave(member.connection(), "r")).isTrue();
		assertThat(this.memberships.leave(member.connection(), "r")).isFalse();
		publish("r");
		assertThat(member.eventSeqs()).containsExactly(1L, 2L);
		assertThat(this.broker.calls()).containsExactly("subscribe r", "unsubscribe r");
	}

	@Test
	void joiningAgainAnswersWhereTheMembershipStands() {
		RecordingConnection member = subscribedMember("r");
		publish("r");
		join(member, "r", null, null).block();
		assertThat(member.lines()).last().asString().contains("\"joined\"").contains("\"seq\":1");
		assertThat(member.connection().roomCount()).isEqualTo(1);
	}

	@Test
	void aClosedConnectionLeavesEveryRoom() {
		RecordingConnection member = subscribedMember("r1");
		join(member, "r2", null, null).subscribe();
		this.broker.confirmSubscribe();
		this.memberships.leaveAll(member.connection());
		assertThat(this.registry.memberCount("r1") + this.registry.memberCount("r2")).isZero();
		assertThat(member.connection().roomCount()).isZero();
	}

	private RecordingConnection subscribedMember(String room) {
		RecordingConnection member = new RecordingConnection("m");
		StepVerifier joined = StepVerifier.create(join(member, room, null, null)).expectComplete().verifyLater();
		this.broker.confirmSubscribe();
		joined.verify();
		return member;
	}

	private Boolean recovered(RecordingConnection client, Long since, String epoch) {
		join(client, "r", since, epoch).block();
		String joined = client.lines().stream().filter(line -> line.contains("\"joined\"")).findFirst().orElseThrow();
		boolean replayed = !client.eventSeqs().isEmpty();
		boolean recovered = joined.contains("\"recovered\":true");
		assertThat(replayed).as("events are replayed exactly when recovered").isEqualTo(recovered && since < 5);
		return recovered;
	}

	private String epoch(String room) {
		RoomPosition position = this.store.position(room).block();
		return position.epoch();
	}

}
