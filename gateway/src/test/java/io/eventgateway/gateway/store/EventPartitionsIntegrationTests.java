package io.eventgateway.gateway.store;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.eventgateway.core.event.RoomEvent;
import io.eventgateway.core.store.Appended;
import io.eventgateway.core.store.NewEvent;
import io.eventgateway.gateway.testing.StoreDatabases;
import io.eventgateway.persistence.R2dbcEventStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.r2dbc.core.DatabaseClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * PostgreSQL keeps events in time ranges and drops a range whole once it is older than the
 * retention window. A database that has been running for hours is stood for by ranges of the past.
 */
class EventPartitionsIntegrationTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(30);

	private static final long HOUR = Duration.ofHours(1).toMillis();

	private final StoreDatabases databases = new StoreDatabases();

	@AfterEach
	void cleanUp() {
		this.databases.close();
	}

	@Test
	void aDroppedRangeNeverTakesAnEventInsideTheWindowAndJoinsSeeWhatWentAsPruned() {
		StoreDatabases.Database database = this.databases.create("postgresql");
		DatabaseClient sql = DatabaseClient.create(database.pool());
		R2dbcEventStore store = new R2dbcEventStore(database.pool(), database.scheduler(), database.epoch(), Duration.ofHours(1));
		long now = System.currentTimeMillis();
		// The migration created ranges from this hour on; the four hours before it are made here.
		long firstRange = now - now % HOUR;
		for (int hoursBack = 4; hoursBack >= 1; hoursBack--) {
			long from = firstRange - hoursBack * HOUR;
			sql.sql("CREATE TABLE room_events_" + from + "_" + (from + HOUR) + " PARTITION OF room_events FOR VALUES FROM ("
					+ from + ") TO (" + (from + HOUR) + ")").then().block(TIMEOUT);
		}
		// Ten events in each past hour, ten minutes past its start, and ten now.
		List<NewEvent> events = new ArrayList<>();
		for (int hoursBack = 4; hoursBack >= 0; hoursBack--) {
			long ts = (hoursBack == 0) ? now : firstRange - hoursBack * HOUR + Duration.ofMinutes(10).toMillis();
			for (int i = 0; i < 10; i++) {
				events.add(new NewEvent("r", "e", "{\"h\":" + hoursBack + ",\"i\":" + i + "}", ts));
			}
		}
		List<Appended> appended = store.append(events).block(TIMEOUT);
		assertThat(appended).hasSize(50);
		assertThat(partitions(sql)).hasSize(4 + 4);

		// The window starts inside the hour two hours back: the ranges of four and three hours back are wholly older.
		long cutoff = firstRange - 2 * HOUR + Duration.ofMinutes(30).toMillis();
		store.prune(cutoff, 1_000_000).block(TIMEOUT);

		List<RoomEvent> left = store.read("r", 0, 100, 100).collectList().block(TIMEOUT);
		assertThat(left).as("every event inside the window is kept").extracting(RoomEvent::seq)
			.containsExactlyElementsOf(appended.stream().map(Appended::event).filter(event -> event.timestamp() >= cutoff)
				.map(RoomEvent::seq).toList());
		assertThat(store.position("r").block(TIMEOUT).prunedThrough())
			.as("a join from before the window is answered recovered:false, not from a hole").isEqualTo(30);
		assertThat(partitions(sql)).as("the two wholly older ranges are gone, those ahead are kept")
			.doesNotContain("room_events_" + (firstRange - 4 * HOUR) + "_" + (firstRange - 3 * HOUR),
					"room_events_" + (firstRange - 3 * HOUR) + "_" + (firstRange - 2 * HOUR))
			.contains("room_events_" + (firstRange - 2 * HOUR) + "_" + (firstRange - HOUR),
					"room_events_" + firstRange + "_" + (firstRange + HOUR))
			.hasSize(6);
		long deletedThrough = sql.sql("SELECT deleted_through FROM room_heads WHERE room = 'r'")
			.map(row -> row.get("deleted_through", Long.class)).one().block(TIMEOUT);
		assertThat(deletedThrough).isEqualTo(30);
	}

	@Test
	void rangesAreKeptAheadOfTheClockAndEventsOfNoRangeStillHaveAHome() {
		StoreDatabases.Database database = this.databases.create("postgresql");
		DatabaseClient sql = DatabaseClient.create(database.pool());
		R2dbcEventStore store = new R2dbcEventStore(database.pool(), database.scheduler(), database.epoch(), Duration.ofHours(1));
		long now = System.currentTimeMillis();
		assertThat(partitions(sql)).as("made by the migration: this hour and the next ones").hasSize(4)
			.contains("room_events_" + (now - now % HOUR) + "_" + (now - now % HOUR + HOUR));
		// An event of a clock far off lands in the default range and is read like any other.
		store.append(List.of(new NewEvent("old", "e", "{}", 1), new NewEvent("old", "e", "{}", now))).block(TIMEOUT);
		assertThat(store.read("old", 0, 10, 10).collectList().block(TIMEOUT)).extracting(RoomEvent::timestamp)
			.containsExactly(1L, now);
		store.prune(now - Duration.ofHours(24).toMillis(), 1_000_000).block(TIMEOUT);
		assertThat(store.read("old", 0, 10, 10).collectList().block(TIMEOUT)).as("removed row by row")
			.extracting(RoomEvent::timestamp).containsExactly(now);
		assertThat(partitions(sql)).hasSize(4);
	}

	private static List<String> partitions(DatabaseClient sql) {
		return sql.sql("""
				SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
				WHERE i.inhparent = 'room_events'::regclass AND c.relname <> 'room_events_default'""")
			.map(row -> row.get("relname", String.class))
			.all()
			.collectList()
			.block(TIMEOUT);
	}

}
