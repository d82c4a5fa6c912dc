package io.eventgateway.loadtest.chaos;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.eventgateway.loadtest.chaos.Observation.Ack;
import io.eventgateway.loadtest.chaos.Observation.Delivery;
import io.eventgateway.loadtest.chaos.Observation.Fault;
import io.eventgateway.loadtest.chaos.Observation.Final;
import io.eventgateway.loadtest.chaos.Observation.Join;
import io.eventgateway.loadtest.chaos.Observation.Joined;
import io.eventgateway.loadtest.chaos.Observation.Presence;
import io.eventgateway.loadtest.chaos.Observation.Publish;
import io.eventgateway.loadtest.chaos.Observation.Readiness;
import io.eventgateway.loadtest.chaos.Observation.Stored;
import io.eventgateway.loadtest.chaos.Violation.Kind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/** Sound histories pass; each broken one is caught as the violation it is, and as no other. */
class HistoryCheckerTests {

	private final HistoryChecker checker = new HistoryChecker(Duration.ofSeconds(5), Duration.ofSeconds(2));

	/**
	 * Two publishes into room r by a; b joins at 0, takes seq 1, is cut, rejoins with since 1 and is
	 * replayed seq 2; a Redis outage healed at 2000 ms, readiness down meanwhile, an ack after it.
	 */
	private List<Observation> sound() {
		return new ArrayList<>(List.of(
				new Join(0, "b", 1, "r", -1), new Joined(1, "b", 1, "r", 0, true),
				new Fault(10, "redis-pause", "start", true), new Readiness(20, "gateway-1", false),
				new Publish(100, "a", "r", "a-1"), new Delivery(110, "b", 1, "r", 1, "a-1"), new Ack(111, "a", "r", "a-1", 1, false),
				new Observation.Closed(200, "b", 1, 1006),
				new Publish(300, "a", "r", "a-2"), new Ack(310, "a", "r", "a-2", 2, false), new Ack(320, "a", "r", "a-2", 2, true),
				new Join(400, "b", 2, "r", 1), new Delivery(410, "b", 2, "r", 2, "a-2"), new Joined(411, "b", 2, "r", 2, true),
				new Fault(2000, "redis-pause", "heal", true), new Readiness(2100, "gateway-1", true),
				new Publish(2200, "a", "r", "a-3"), new Delivery(2210, "b", 2, "r", 3, "a-3"), new Ack(2211, "a", "r", "a-3", 3, false),
				new Presence(9000, "r", Map.of("b", 1), Map.of("b", 1)),
				new Stored(9100, "r", 1, "a-1"), new Stored(9100, "r", 2, "a-2"), new Stored(9100, "r", 3, "a-3"),
				new Final(9200, "b", "r", true)));
	}

	private HistoryChecker.Result check(List<Observation> history) {
		return this.checker.check(history);
	}

	private static List<Observation> without(List<Observation> history, Observation gone) {
		List<Observation> copy = new ArrayList<>(history);
		assertThat(copy.remove(gone)).isTrue();
		return copy;
	}

	private static List<Observation> replaced(List<Observation> history, Observation old, Observation replacement) {
		List<Observation> copy = new ArrayList<>(history);
		copy.set(copy.indexOf(old), replacement);
		return copy;
	}

	private void assertOnly(HistoryChecker.Result result, Kind kind) {
		assertThat(result.passed()).as(result.toString()).isFalse();
		assertThat(result.violations().keySet()).as(result.toString()).containsExactly(kind);
	}

	@Test
	void aSoundHistoryPassesWithItsFigures() {
		HistoryChecker.Result result = check(sound());

		assertThat(result.passed()).as(result.toString()).isTrue();
		assertThat(result.published()).isEqualTo(3);
		assertThat(result.acknowledged()).isEqualTo(3);
		assertThat(result.delivered()).isEqualTo(3);
		assertThat(result.recoveries()).isEqualTo(1);
		assertThat(result.resumeMillis()).isEqualTo(211);
	}

	@Test
	void anAcknowledgedEventMissingFromTheStoreIsFound() {
		assertThat(check(replaced(sound(), new Stored(9100, "r", 3, "a-3"), new Stored(9100, "r", 3, "other"))).violations())
			.containsKeys(Kind.ACKED_NOT_STORED, Kind.CONFLICTING_EVENT);
		List<Observation> lastGone = without(sound(), new Stored(9100, "r", 3, "a-3"));
		HistoryChecker.Result result = check(lastGone);
		assertThat(result.violations()).containsKey(Kind.ACKED_NOT_STORED);
		assertThat(result.lost()).isEqualTo(1);
	}

	@Test
	void aPublishNeverAcknowledgedIsFound() {
		List<Observation> history = sound();
		history.add(new Publish(2300, "a", "r", "a-4"));
		assertOnly(check(history), Kind.NEVER_ACKED);
	}

	@Test
	void anIdStoredTwiceOrAckedWithTwoSeqsIsFound() {
		List<Observation> history = sound();
		history.add(new Stored(9100, "r", 4, "a-3"));
		history.add(new Delivery(9150, "b", 2, "r", 4, "a-3"));
		assertThat(check(history).violations()).containsKey(Kind.STORED_TWICE);
		assertThat(check(replaced(sound(), new Ack(320, "a", "r", "a-2", 2, true), new Ack(320, "a", "r", "a-2", 1, true))).violations())
			.containsKey(Kind.STORED_TWICE);
	}

	@Test
	void aGapInARoomsSeqsIsFound() {
		List<Observation> history = sound();
		history.add(new Stored(9100, "r", 5, null));
		HistoryChecker.Result result = check(history);
		assertThat(result.violations()).containsKey(Kind.SEQ_GAP);
	}

	@Test
	void oneSeqWithTwoEventsIsFound() {
		assertOnly(check(replaced(sound(), new Delivery(410, "b", 2, "r", 2, "a-2"), new Delivery(410, "b", 2, "r", 2, "x-9"))),
				Kind.CONFLICTING_EVENT);
	}

	@Test
	void anEventTakenTwiceIsFound() {
		List<Observation> history = sound();
		history.add(history.indexOf(new Joined(411, "b", 2, "r", 2, true)), new Delivery(405, "b", 2, "r", 1, "a-1"));
		HistoryChecker.Result result = check(history);
		assertThat(result.violations()).containsKey(Kind.DUPLICATE_DELIVERY);
		assertThat(result.duplicated()).isEqualTo(1);
	}

	@Test
	void aLiveSubscriberMissingAnEventIsFound() {
		assertOnly(check(without(sound(), new Delivery(2210, "b", 2, "r", 3, "a-3"))), Kind.MISSED_DELIVERY);
	}

	@Test
	void aRecoveredFalseAnswerExcusesOnlyWhatItSkipped() {
		List<Observation> history = replaced(sound(), new Joined(411, "b", 2, "r", 2, true), new Joined(411, "b", 2, "r", 2, false));
		history = without(history, new Delivery(410, "b", 2, "r", 2, "a-2"));
		HistoryChecker.Result result = check(history);
		assertThat(result.passed()).as(result.toString()).isTrue();
		assertThat(result.recoveredFalse()).isEqualTo(1);
	}

	@Test
	void aPartialReplayIsFound() {
		List<Observation> history = sound();
		// since 0 on the second connection: seqs 1 and 2 owed, only 2 replayed (1 was taken before, so no delivery is missed).
		history = replaced(history, new Join(400, "b", 2, "r", 1), new Join(400, "b", 2, "r", 0));
		assertOnly(check(history), Kind.PARTIAL_RECOVERY);
		List<Observation> refusedWithReplay = replaced(sound(), new Joined(411, "b", 2, "r", 2, true), new Joined(411, "b", 2, "r", 2, false));
		assertOnly(check(refusedWithReplay), Kind.PARTIAL_RECOVERY);
	}

	@Test
	void aGhostInPresenceIsFound() {
		assertOnly(check(replaced(sound(), new Presence(9000, "r", Map.of("b", 1), Map.of("b", 1)),
				new Presence(9000, "r", Map.of("b", 2, "gone", 1), Map.of("b", 1)))), Kind.GHOST_PRESENCE);
	}

	@Test
	void noAcknowledgementSoonAfterTheHealIsFound() {
		List<Observation> history = sound();
		history = replaced(history, new Ack(2211, "a", "r", "a-3", 3, false), new Ack(9000, "a", "r", "a-3", 3, false));
		assertOnly(check(history), Kind.LATE_RESUME);
	}

	@Test
	void readinessThatNeverShowedTheFaultOrNeverCameBackIsFound() {
		assertOnly(check(without(sound(), new Readiness(20, "gateway-1", false))), Kind.READINESS_BLIND);
		assertOnly(check(without(sound(), new Readiness(2100, "gateway-1", true))), Kind.READINESS_BLIND);
	}

	@Test
	void aHistoryFileReadsBackAsWritten(@TempDir Path folder) throws Exception {
		Path file = folder.resolve("history.jsonl");
		try (History history = new History(file)) {
			sound().forEach(history::add);
		}
		assertThat(Files.readAllLines(file).get(0)).startsWith("{\"type\":\"join\"");
		assertThat(History.read(file)).isEqualTo(sound());
		assertThat(check(History.read(file)).passed()).isTrue();
	}

}
