package io.eventgateway.gateway.store;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import java.util.stream.LongStream;

import io.eventgateway.core.event.RoomEvent;
import io.eventgateway.core.store.NewEvent;
import io.eventgateway.core.store.RoomPosition;
import io.eventgateway.gateway.testing.StoreDatabases;
import io.eventgateway.persistence.R2dbcEventStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.r2dbc.core.DatabaseClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * On PostgreSQL the events are partitioned by time, and retention drops a partition whole once it
 * lies before the cutoff. A drop must never take an event the room still holds: one past what the
 * room is pruned through, which a join may replay.
 */
class EventPartitionsIntegrationTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(30);

	private static final Duration INTERVAL = Duration.ofHours(1);

	private final StoreDatabases databases = new StoreDatabases();

	@AfterEach
	void cleanUp() {
		this.databases.close();
	}

	@Test
	void aDroppedPartitionNeverRemovesAnEventInsideTheRetentionWindow() {
		StoreDatabases.Database database = this.databases.create("postgresql");
		long now = System.currentTimeMillis();
		long nextHour = (now / INTERVAL.toMillis() + 1) * INTERVAL.toMillis();
		AtomicLong clock = new AtomicLong(now);
		R2dbcEventStore store = new R2dbcEventStore(database.pool(), database.scheduler(), database.epoch(), INTERVAL, clock::get);
		store.preparePartitions().block(TIMEOUT);
		assertThat(partitions(database)).as("this hour's partition and the next").hasSize(2);
		String thisHour = partitions(database).get(0);

		// "a": three events of this hour, three of the next; "b": three of the next only.
		store.append(IntStream.range(0, 3).mapToObj(i -> event("a", i, now)).toList()).block(TIMEOUT);
		store.append(IntStream.range(3, 6).mapToObj(i -> event("a", i, nextHour + 60_000)).toList()).block(TIMEOUT);
		store.append(IntStream.range(0, 3).mapToObj(i -> event("b", i, nextHour + 60_000)).toList()).block(TIMEOUT);

		// A cutoff inside this hour drops nothing: this hour's events stay (age is applied by the drop).
		assertThat(store.prune(now + 1, 100).block(TIMEOUT)).isZero();
		assertThat(partitions(database)).contains(thisHour);
		assertThat(seqs(store.read("a", 0, 6, 100).collectList().block(TIMEOUT))).containsExactly(1L, 2L, 3L, 4L, 5L, 6L);

		// An event stamped this hour but stored after the events of the next (its publisher's clock
		// behind): it lies in the partition about to be dropped, above events that are not.
		store.append(List.of(event("a", 6, now))).block(TIMEOUT);

		clock.set(nextHour + 120_000);
		long removed = store.prune(nextHour, 100).block(TIMEOUT);

		assertThat(partitions(database)).as("this hour's partition is dropped whole").doesNotContain(thisHour);
		assertThat(rowsBefore(database, nextHour)).as("no event of this hour is left").isZero();
		RoomPosition a = store.position("a").block(TIMEOUT);
		assertThat(a.seq()).isEqualTo(7);
		assertThat(a.prunedThrough()).as("pruned through the newest event the drop took, the late one").isEqualTo(7);
		assertThat(seqs(store.read("a", 0, 7, 100).collectList().block(TIMEOUT))).isEmpty();
		RoomPosition b = store.position("b").block(TIMEOUT);
		assertThat(b.prunedThrough()).isZero();
		assertThat(seqs(store.read("b", 0, 3, 100).collectList().block(TIMEOUT)))
			.as("every event inside the window is still there").containsExactlyElementsOf(LongStream.rangeClosed(1, 3).boxed().toList());
		assertThat(removed).as("the late event and its three neighbours of the next hour (deleted as rows)").isGreaterThanOrEqualTo(3);
		assertThat(rowsOf(database, "a")).as("the next hour's events of a pruned by the late one are deleted").isZero();
		assertThat(partitions(database)).as("the partitions ahead are made").hasSize(2);
	}

	@Test
	void everyEventInsideTheWindowSurvivesTheDropOfTheHoursBefore() {
		StoreDatabases.Database database = this.databases.create("postgresql");
		long now = System.currentTimeMillis();
		long hour = INTERVAL.toMillis();
		long nextHour = (now / hour + 1) * hour;
		AtomicLong clock = new AtomicLong(now);
		R2dbcEventStore store = new R2dbcEventStore(database.pool(), database.scheduler(), database.epoch(), INTERVAL, clock::get);
		store.preparePartitions().block(TIMEOUT);
		// Ten rooms, each with events of this hour and of the three hours after it.
		for (int hours = 0; hours < 4; hours++) {
			clock.set(nextHour + (hours - 1) * hour + 1);
			store.preparePartitions().block(TIMEOUT);
			// Late in each hour, so the cutoff below falls between the third hour's start and its events.
			long ts = (hours == 0) ? now : nextHour + hours * hour - 1_000;
			for (int room = 0; room < 10; room++) {
				String name = "r" + room;
				store.append(IntStream.range(0, 5).mapToObj(i -> event(name, i, ts)).toList()).block(TIMEOUT);
			}
		}
		assertThat(partitions(database)).hasSize(5);

		// The cutoff is two hours on: the first two partitions lie before it, the third holds it.
		long cutoff = nextHour + hour + hour / 2;
		clock.set(nextHour + 2 * hour + 1);
		assertThat(store.prune(cutoff, 1_000).block(TIMEOUT)).as("the events of the two partitions dropped").isPositive();

		assertThat(partitions(database)).as("the partitions wholly before the cutoff are dropped").hasSize(3);
		for (int room = 0; room < 10; room++) {
			String name = "r" + room;
			RoomPosition position = store.position(name).block(TIMEOUT);
			assertThat(position.prunedThrough()).as("%s: pruned through its events before the cutoff", name).isEqualTo(10);
			assertThat(seqs(store.read(name, position.prunedThrough(), position.seq(), 100).collectList().block(TIMEOUT)))
				.as("%s: every event after the cutoff is stored", name)
				.containsExactlyElementsOf(LongStream.rangeClosed(11, 20).boxed().toList());
		}
		assertThat(rowsBefore(database, nextHour + hour)).isZero();
	}

	private static NewEvent event(String room, int i, long ts) {
		return new NewEvent(room, "e", "{\"i\":" + i + "}", ts);
	}

	private static List<Long> seqs(List<RoomEvent> events) {
		return events.stream().map(RoomEvent::seq).toList();
	}

	/** The time partitions of room_events, oldest first. */
	private static List<String> partitions(StoreDatabases.Database database) {
		return DatabaseClient.create(database.pool())
			.sql("""
					SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
					WHERE i.inhparent = 'room_events'::regclass AND c.relname ~ '^room_events_[0-9]+_[0-9]+$' ORDER BY c.relname""")
			.map(row -> row.get("relname", String.class))
			.all()
			.collectList()
			.block(TIMEOUT);
	}

	private static long rowsBefore(StoreDatabases.Database database, long ts) {
		return rows(database, "ts < $1", ts);
	}

	private static long rowsOf(StoreDatabases.Database database, String room) {
		return rows(database, "room = $1", room);
	}

	private static long rows(StoreDatabases.Database database, String condition, Object value) {
		return DatabaseClient.create(database.pool())
			.sql("SELECT COUNT(*) AS n FROM room_events WHERE " + condition)
			.bind(0, value)
			.map(row -> row.get("n", Long.class))
			.one()
			.block(TIMEOUT);
	}

}
