package io.eventgateway.gateway.store;

import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.LongStream;

import io.eventgateway.core.event.RoomEvent;
import io.eventgateway.core.store.Appended;
import io.eventgateway.core.store.EventStore;
import io.eventgateway.core.store.InMemoryEventStore;
import io.eventgateway.core.store.NewEvent;
import io.eventgateway.core.store.RoomPosition;
import io.eventgateway.gateway.testing.StoreDatabases;
import io.eventgateway.persistence.R2dbcEventStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What every event store must do, run against the in-memory twin that core's tests use, the embedded
 * H2 and PostgreSQL.
 */
class EventStoreContractIntegrationTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(30);

	private final StoreDatabases databases = new StoreDatabases();

	/** The database of an R2DBC store under test, to look at its rows. */
	private io.r2dbc.pool.ConnectionPool pool;

	private reactor.core.scheduler.Scheduler scheduler;

	private String epoch;

	private EventStore store(String kind) {
		if (kind.equals("memory")) {
			return new InMemoryEventStore();
		}
		StoreDatabases.Database database = this.databases.create(kind);
		this.pool = database.pool();
		this.scheduler = database.scheduler();
		this.epoch = database.epoch();
		return new R2dbcEventStore(database.pool(), database.scheduler(), database.epoch());
	}

	@AfterEach
	void cleanUp() {
		this.databases.close();
	}

	private static NewEvent event(String room, int i, long ts) {
		return new NewEvent(room, "e", "{\"i\":" + i + "}", ts);
	}

	private static List<Long> seqs(List<?> events) {
		return events.stream().map(event -> (event instanceof Appended appended) ? appended.event() : (RoomEvent) event)
			.map(RoomEvent::seq).toList();
	}

	private static List<RoomEvent> stored(Mono<List<Appended>> append) {
		return append.block(TIMEOUT).stream().map(Appended::event).toList();
	}

	@ParameterizedTest
	@ValueSource(strings = { "memory", "h2", "postgresql" })
	void aBatchIsNumberedPerRoomInListOrder(String kind) {
		EventStore store = store(kind);
		List<RoomEvent> first = stored(store.append(List.of(event("a", 0, 1), event("b", 1, 1), event("a", 2, 1))));
		assertThat(first).extracting(RoomEvent::room).containsExactly("a", "b", "a");
		assertThat(seqs(first)).containsExactly(1L, 1L, 2L);
		assertThat(seqs(store.append(List.of(event("a", 3, 1))).block(TIMEOUT))).containsExactly(3L);

		RoomPosition position = store.position("a").block(TIMEOUT);
		assertThat(position.seq()).isEqualTo(3);
		assertThat(position.epoch()).isNotBlank().isEqualTo(store.position("nobody").block(TIMEOUT).epoch());
		assertThat(store.position("nobody").block(TIMEOUT).seq()).isZero();

		List<RoomEvent> read = store.read("a", 1, 3, 10).collectList().block(TIMEOUT);
		assertThat(seqs(read)).containsExactly(2L, 3L);
		assertThat(read.get(0).data()).isEqualTo("{\"i\":2}");
		assertThat(seqs(store.read("a", 0, 3, 2).collectList().block(TIMEOUT))).containsExactly(1L, 2L);
	}

	@ParameterizedTest
	@ValueSource(strings = { "memory", "h2", "postgresql" })
	void everyEventOfAMixedBatchIsStoredExactlyAsGiven(String kind) {
		EventStore store = store(kind);
		// Payloads of one, two, three and four bytes per character, an escape of a lone surrogate
		// kept as text, and rooms and optional fields interleaved: PostgreSQL receives the payloads
		// as one run of bytes and cuts them by their lengths.
		List<NewEvent> batch = List.of(new NewEvent("zeta", "e1", "{\"t\":\"plain\"}", 11, "id-1", "alice"),
				new NewEvent("alpha", "e2", "{\"t\":\"caf\u00e9 \u00fc\"}", 12, null, null),
				new NewEvent("zeta", "e3", "{\"t\":\"\u20ac \u4e2d\u6587\"}", 13, null, "bob"),
				new NewEvent("alpha", "e4", "{\"t\":\"\ud83d\ude00 \\ud800\"}", 14, "id-2", null),
				new NewEvent("mid", "e5", "[]", 15, "id-3", "carol"),
				new NewEvent("zeta", "e6", "{\"t\":\"" + "x".repeat(5000) + "\"}", 16, null, null));
		List<RoomEvent> appended = stored(store.append(batch));
		assertThat(appended).extracting(RoomEvent::room, RoomEvent::seq)
			.containsExactly(tuple("zeta", 1L), tuple("alpha", 1L), tuple("zeta", 2L), tuple("alpha", 2L), tuple("mid", 1L),
					tuple("zeta", 3L));

		for (String room : List.of("alpha", "mid", "zeta")) {
			List<RoomEvent> read = store.read(room, 0, Long.MAX_VALUE, 10).collectList().block(TIMEOUT);
			List<NewEvent> given = batch.stream().filter(event -> event.room().equals(room)).toList();
			assertThat(read).hasSameSizeAs(given);
			for (int i = 0; i < given.size(); i++) {
				NewEvent expected = given.get(i);
				assertThat(read.get(i)).extracting(RoomEvent::seq, RoomEvent::event, RoomEvent::data, RoomEvent::timestamp, RoomEvent::id,
						RoomEvent::from)
					.containsExactly((long) i + 1, expected.event(), expected.data(), expected.timestamp(), expected.id(), expected.from());
			}
		}
	}

	@ParameterizedTest
	@ValueSource(strings = { "memory", "h2", "postgresql" })
	void aRoomWhoseEveryEventWasPrunedIsForgottenButItsSeqNeverStartsAgain(String kind) {
		EventStore store = store(kind);
		store.append(IntStream.range(0, 7).mapToObj(i -> event("gone", i, 100)).toList()).block(TIMEOUT);
		store.append(List.of(event("kept", 0, 1_000))).block(TIMEOUT);
		// Twice: the R2DBC store raises the retired seq at one prune and removes the head at the next.
		store.prune(500, 100).block(TIMEOUT);
		store.prune(500, 100).block(TIMEOUT);
		if (this.pool != null) {
			assertThat(headRows()).as("the empty room's head is removed").containsExactly("kept");
		}
		RoomPosition forgotten = store.position("gone").block(TIMEOUT);
		assertThat(forgotten.seq()).as("stands at or above its old seq").isGreaterThanOrEqualTo(7);
		assertThat(forgotten.prunedThrough()).as("a since of its old history is not recoverable")
			.isEqualTo(forgotten.seq());
		assertThat(seqs(store.append(List.of(event("gone", 8, 2_000))).block(TIMEOUT)))
			.containsExactly(forgotten.seq() + 1);
		RoomPosition fresh = store.position("fresh").block(TIMEOUT);
		assertThat(seqs(store.append(List.of(event("fresh", 9, 2_000))).block(TIMEOUT))).containsExactly(fresh.seq() + 1);
		assertThat(store.position("kept").block(TIMEOUT).seq()).as("a room with events left is untouched").isEqualTo(1);
		assertThat(seqs(store.read("gone", 0, Long.MAX_VALUE, 10).collectList().block(TIMEOUT)))
			.containsExactly(forgotten.seq() + 1);
	}

	private List<String> headRows() {
		return org.springframework.r2dbc.core.DatabaseClient.create(this.pool)
			.sql("SELECT room FROM room_heads ORDER BY room")
			.map(row -> row.get("room", String.class))
			.all()
			.collectList()
			.block(TIMEOUT);
	}

	@ParameterizedTest
	@ValueSource(strings = { "memory", "h2", "postgresql" })
	void theNewestSeqsOfManyRoomsAreReadInOneCall(String kind) {
		EventStore store = store(kind);
		store.append(List.of(event("a", 0, 1), event("b", 1, 1), event("a", 2, 1), event("it's", 3, 1))).block(TIMEOUT);
		List<String> rooms = new java.util.ArrayList<>(List.of("a", "b", "it's", "nobody"));
		IntStream.range(0, 96).forEach(i -> rooms.add("empty-" + i));
		assertThat(store.newestSeqs(rooms).block(TIMEOUT)).containsOnly(java.util.Map.entry("a", 2L),
				java.util.Map.entry("b", 1L), java.util.Map.entry("it's", 1L));
		assertThat(store.newestSeqs(List.of()).block(TIMEOUT)).isEmpty();
	}

	@ParameterizedTest
	@ValueSource(strings = { "memory", "h2", "postgresql" })
	void anIdTheRoomHoldsIsADuplicateWithTheFirstSeqAndIsNotStoredAgain(String kind) {
		EventStore store = store(kind);
		long now = System.currentTimeMillis();
		List<Appended> first = store.append(List.of(new NewEvent("r", "e", "1", now, "id-1", "alice"), event("r", 2, 1),
				new NewEvent("r", "e", "3", now, "id-1", "alice"))).block(TIMEOUT);
		assertThat(first).extracting(Appended::duplicate).containsExactly(false, false, true);
		assertThat(seqs(first)).as("a repeat within one batch").containsExactly(1L, 2L, 1L);
		List<Appended> again = store.append(List.of(new NewEvent("r", "e", "4", now, "id-1", "bob"),
				new NewEvent("other", "e", "5", now, "id-1", "bob"))).block(TIMEOUT);
		assertThat(again).extracting(Appended::duplicate).as("ids are unique per room").containsExactly(true, false);
		assertThat(seqs(again)).containsExactly(1L, 1L);
		assertThat(store.position("r").block(TIMEOUT).seq()).isEqualTo(2);
		List<RoomEvent> read = store.read("r", 0, 10, 10).collectList().block(TIMEOUT);
		assertThat(read).extracting(RoomEvent::data).containsExactly("1", "{\"i\":2}");
		assertThat(read.get(0).id()).isEqualTo("id-1");
		assertThat(read.get(0).from()).isEqualTo("alice");
		assertThat(read.get(1).id()).isNull();
		assertThat(read.get(1).from()).isNull();
		// Retention removes events; their ids stay for at least a day.
		store.prune(Long.MAX_VALUE, 0).block(TIMEOUT);
		assertThat(store.append(List.of(new NewEvent("r", "e", "6", now, "id-1", "alice"))).block(TIMEOUT).get(0).duplicate())
			.isTrue();
	}

	@ParameterizedTest
	@ValueSource(strings = { "memory", "h2", "postgresql" })
	void concurrentPublishesOfOneIdStoreItOnce(String kind) {
		EventStore store = store(kind);
		// Two stores over one database stand for two instances.
		EventStore other = (this.pool == null) ? store : new R2dbcEventStore(this.pool, this.scheduler, this.epoch);
		List<Appended> all = Flux.range(0, 20)
			.flatMap(i -> ((i % 2 == 0) ? store : other)
				.append(List.of(new NewEvent("race", "e", String.valueOf(i), 1, "same", "u"), event("race", i, 1))), 20)
			.flatMapIterable(batch -> batch)
			.collectList()
			.block(TIMEOUT);
		assertThat(all.stream().filter(appended -> appended.event().id() != null && !appended.duplicate())).hasSize(1);
		long first = all.stream().filter(appended -> appended.event().id() != null && !appended.duplicate()).findFirst()
			.orElseThrow().event().seq();
		assertThat(all.stream().filter(appended -> appended.event().id() != null).map(appended -> appended.event().seq()))
			.containsOnly(first);
		assertThat(store.read("race", 0, 100, 100).collectList().block(TIMEOUT)).as("gap-free, the id once").hasSize(21);
	}

	@ParameterizedTest
	@ValueSource(strings = { "memory", "h2", "postgresql" })
	void concurrentAppendsToOneRoomStayGapFreeAndUnique(String kind) {
		EventStore store = store(kind);
		List<Long> all = Flux.range(0, 40)
			.flatMap(batch -> store.append(IntStream.range(0, 5).mapToObj(i -> event("busy", batch * 5 + i, 1)).toList()), 8)
			.flatMapIterable(events -> events)
			.map(appended -> appended.event().seq())
			.sort()
			.collectList()
			.block(TIMEOUT);
		assertThat(all).containsExactlyElementsOf(LongStream.rangeClosed(1, 200).boxed().toList());
	}

	@ParameterizedTest
	@ValueSource(strings = { "memory", "h2", "postgresql" })
	void aFailedBatchTakesNoSeq(String kind) {
		EventStore store = store(kind);
		store.append(List.of(event("r", 0, 1))).block(TIMEOUT);
		assertThatThrownBy(() -> store.append(List.of(event("r", 1, 1), new NewEvent("r", "e", null, 1))).block(TIMEOUT))
			.isInstanceOf(RuntimeException.class);
		assertThat(store.position("r").block(TIMEOUT).seq()).isEqualTo(1);
		assertThat(seqs(store.append(List.of(event("r", 2, 1))).block(TIMEOUT))).containsExactly(2L);
	}

	@ParameterizedTest
	@ValueSource(strings = { "memory", "h2", "postgresql" })
	void pruningKeepsTheNewestEventsPerRoomAndEventsNotTooOld(String kind) {
		EventStore store = store(kind);
		store.append(IntStream.range(0, 30).mapToObj(i -> event("count", i, 1_000_000 + i)).toList()).block(TIMEOUT);
		store.append(IntStream.range(0, 10).mapToObj(i -> event("age", i, i < 4 ? 100 : 1_000_000)).toList()).block(TIMEOUT);

		long removed = store.prune(500, 10).block(TIMEOUT);

		assertThat(removed).isEqualTo(20 + 4);
		RoomPosition count = store.position("count").block(TIMEOUT);
		assertThat(count.prunedThrough()).isEqualTo(20);
		assertThat(count.canReplayFrom(19)).isFalse();
		assertThat(count.canReplayFrom(20)).isTrue();
		assertThat(seqs(store.read("count", 0, 30, 100).collectList().block(TIMEOUT)))
			.containsExactlyElementsOf(LongStream.rangeClosed(21, 30).boxed().toList());
		assertThat(store.position("age").block(TIMEOUT).prunedThrough()).isEqualTo(4);
		assertThat(seqs(store.read("age", 0, 10, 100).collectList().block(TIMEOUT)))
			.containsExactlyElementsOf(LongStream.rangeClosed(5, 10).boxed().toList());
		assertThat(store.prune(500, 10).block(TIMEOUT)).as("nothing more to remove").isZero();
	}

	@ParameterizedTest
	@ValueSource(strings = { "memory", "h2", "postgresql" })
	void aLargeBacklogIsPrunedInChunksToTheLastEvent(String kind) {
		EventStore store = store(kind);
		for (int batch = 0; batch < 10; batch++) {
			store.append(IntStream.range(0, 250).mapToObj(i -> event("big", i, 1_000_000)).toList()).block(TIMEOUT);
		}
		assertThat(store.prune(500, 100).block(TIMEOUT)).isEqualTo(2400);
		assertThat(seqs(store.read("big", 0, 2500, 1000).collectList().block(TIMEOUT)))
			.containsExactlyElementsOf(LongStream.rangeClosed(2401, 2500).boxed().toList());
	}

}
