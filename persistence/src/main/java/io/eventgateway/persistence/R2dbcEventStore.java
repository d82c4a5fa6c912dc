package io.eventgateway.persistence;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.LongSupplier;

import io.eventgateway.core.event.RoomEvent;
import io.eventgateway.core.store.Appended;
import io.eventgateway.core.store.EventStore;
import io.eventgateway.core.store.NewEvent;
import io.eventgateway.core.store.RoomPosition;
import io.eventgateway.core.store.DataRejectedException;
import io.eventgateway.core.store.StoreUnavailableException;
import io.r2dbc.spi.ConnectionFactory;
import org.springframework.r2dbc.connection.R2dbcTransactionManager;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * The event store over R2DBC. One SQL dialect serves PostgreSQL and H2 (in its PostgreSQL mode), so
 * the embedded default runs the same code as production.
 */
public final class R2dbcEventStore implements EventStore, AutoCloseable {

	private final DatabaseClient db;

	private final TransactionalOperator transactional;

	private final Scheduler scheduler;

	private final RoomAppends appends;

	/** A batch in one statement on PostgreSQL; the embedded store appends statement by statement. */
	private final BatchAppends batches;

	private final EventIds ids;

	private final RoomHeads heads;

	private final String epoch;

	/** The time partitions of the events on PostgreSQL; none on the embedded store. */
	private final EventPartitions partitions;

	private final LongSupplier clock;

	/** The partition interval when none is given: a quarter of the default retention of 24 h. */
	private static final Duration DEFAULT_PARTITION_INTERVAL = Duration.ofHours(6);

	/** Connections kept for appends when none is given: as many as the gateway's default lanes keep busy. */
	private static final int DEFAULT_APPEND_CONNECTIONS = 4;

	public R2dbcEventStore(ConnectionFactory connectionFactory, Scheduler scheduler, String epoch) {
		this(connectionFactory, scheduler, epoch, DEFAULT_PARTITION_INTERVAL, System::currentTimeMillis);
	}

	public R2dbcEventStore(ConnectionFactory connectionFactory, Scheduler scheduler, String epoch, Duration partitionInterval,
			LongSupplier clock) {
		this(connectionFactory, scheduler, epoch, partitionInterval, clock, DEFAULT_APPEND_CONNECTIONS);
	}

	/**
	 * @param scheduler where statements are started: drivers that block the calling thread (H2)
	 * need one that may block; non-blocking ones take {@code Schedulers.immediate()}
	 * @param epoch the database's lineage ({@link StoreLineage})
	 * @param partitionInterval the span of {@code ts} of one event partition (PostgreSQL): events
	 * outlive the retention by up to this much, and a read visits every partition
	 * @param clock the time partitions are made ahead of, in epoch milliseconds
	 * @param appendConnections connections of the pool kept for appends (PostgreSQL), one per batch
	 * in flight; a batch beyond them borrows one from the pool
	 */
	public R2dbcEventStore(ConnectionFactory connectionFactory, Scheduler scheduler, String epoch, Duration partitionInterval,
			LongSupplier clock, int appendConnections) {
		this.db = DatabaseClient.create(connectionFactory);
		this.transactional = TransactionalOperator.create(new R2dbcTransactionManager(connectionFactory));
		this.scheduler = scheduler;
		boolean postgres = RoomAppends.isPostgres(connectionFactory);
		this.appends = new RoomAppends(this.db, connectionFactory);
		this.batches = postgres ? new BatchAppends(connectionFactory, appendConnections) : null;
		this.ids = new EventIds(this.db);
		this.heads = new RoomHeads(this.db);
		this.epoch = epoch;
		this.partitions = postgres ? new EventPartitions(connectionFactory, partitionInterval) : null;
		this.clock = clock;
	}

	/**
	 * Makes the event partitions of the current interval and the next (PostgreSQL; nothing on the
	 * embedded store). Each prune does it too; at start-up it keeps the first events out of the
	 * default partition.
	 */
	public Mono<Void> preparePartitions() {
		return this.partitions == null ? Mono.empty()
				: Mono.defer(() -> this.partitions.makeAhead(this.clock.getAsLong())).subscribeOn(this.scheduler);
	}

	/** Gives the connections kept for appends back to the pool. */
	@Override
	public void close() {
		if (this.batches != null) {
			this.batches.close();
		}
	}

	@Override
	public Mono<List<Appended>> append(List<NewEvent> batch) {
		// Repeats are rare (a publisher re-sending after a reconnect): an append first takes its ids
		// for new, and only when one is already held (the insert of the ids fails) is it tried again
		// with the ids looked up. That try may also meet an id another instance stored meanwhile.
		return appendTrying(batch, false, ID_RETRIES)
			.subscribeOn(this.scheduler)
			.onErrorMap(error -> !(error instanceof StoreUnavailableException), R2dbcEventStore::failure);
	}

	/** Tries of an append after the first whose ids another append took meanwhile. */
	private static final int ID_RETRIES = 3;

	// A plain fallback instead of retryWhen, which sets up a companion sink for every batch.
	private Mono<List<Appended>> appendTrying(List<NewEvent> batch, boolean lookUpIds, int retriesLeft) {
		Mono<List<Appended>> once = Mono.defer(() -> appendOnce(batch, lookUpIds));
		return (retriesLeft == 0) ? once
				: once.onErrorResume(EventIds.IdAlreadyHeld.class, held -> appendTrying(batch, true, retriesLeft - 1));
	}

	private Mono<List<Appended>> appendOnce(List<NewEvent> batch, boolean lookUpIds) {
		return (lookUpIds ? this.ids.stored(batch) : Mono.just(Map.<EventIds.Key, Long>of())).flatMap(storedIds -> {
			boolean[] toStore = toStore(batch, storedIds);
			Map<String, Integer> countsByRoom = new TreeMap<>();
			for (int i = 0; i < batch.size(); i++) {
				if (toStore[i]) {
					countsByRoom.merge(batch.get(i).room(), 1, Integer::sum);
				}
			}
			if (countsByRoom.isEmpty()) {
				return Mono.just(number(batch, toStore, storedIds, Map.of()));
			}
			if (this.batches != null) {
				return this.batches.append(BatchAppends.BatchColumns.of(batch, toStore, countsByRoom))
					.map(headByRoom -> number(batch, toStore, storedIds, firstSeqs(headByRoom, countsByRoom)));
			}
			return this.transactional.transactional(appendStatementByStatement(batch, toStore, storedIds, countsByRoom));
		});
	}

	/** The embedded store: each room's head, then the events, then their ids, in one transaction. */
	private Mono<List<Appended>> appendStatementByStatement(List<NewEvent> batch, boolean[] toStore,
			Map<EventIds.Key, Long> storedIds, Map<String, Integer> countsByRoom) {
		// Rooms are locked in name order so concurrent batches cannot deadlock.
		return Flux.fromIterable(countsByRoom.entrySet())
			.concatMap(entry -> this.appends.advanceHead(entry.getKey(), entry.getValue()).map(head -> Map.entry(entry.getKey(), head)))
			.collectMap(Map.Entry::getKey, Map.Entry::getValue)
			.flatMap(headByRoom -> {
				List<Appended> appended = number(batch, toStore, storedIds, firstSeqs(headByRoom, countsByRoom));
				List<RoomEvent> stored = appended.stream().filter(result -> !result.duplicate()).map(Appended::event).toList();
				return this.appends.insert(stored).then(this.ids.record(stored)).thenReturn(appended);
			});
	}

	private static Map<String, Long> firstSeqs(Map<String, Long> headByRoom, Map<String, Integer> countsByRoom) {
		Map<String, Long> first = new HashMap<>(countsByRoom.size() * 2);
		countsByRoom.forEach((room, count) -> first.put(room, headByRoom.get(room) - count + 1));
		return first;
	}

	/** Which events are stored now: those without an id, and the first of each id its room does not hold. */
	private static boolean[] toStore(List<NewEvent> batch, Map<EventIds.Key, Long> storedIds) {
		boolean[] toStore = new boolean[batch.size()];
		Set<EventIds.Key> seen = new HashSet<>();
		for (int i = 0; i < batch.size(); i++) {
			EventIds.Key key = EventIds.Key.of(batch.get(i));
			toStore[i] = (key == null) || (!storedIds.containsKey(key) && seen.add(key));
		}
		return toStore;
	}

	/** The call's own fault as a rejection, anything else as the store being unavailable. */
	private static RuntimeException failure(Throwable error) {
		return StoreErrors.isDataError(error) ? new DataRejectedException("the store cannot hold this event", error)
				: new StoreUnavailableException("event store unavailable", error);
	}

	/** Numbers what is stored; a duplicate carries the seq of its id's first event, stored or earlier in the batch. */
	private static List<Appended> number(List<NewEvent> batch, boolean[] toStore, Map<EventIds.Key, Long> storedIds,
			Map<String, Long> firstSeqByRoom) {
		Map<String, Long> nextSeq = new LinkedHashMap<>(firstSeqByRoom);
		Map<EventIds.Key, Long> seqOfId = new HashMap<>(storedIds);
		List<Appended> appended = new ArrayList<>(batch.size());
		for (int i = 0; i < batch.size(); i++) {
			NewEvent event = batch.get(i);
			EventIds.Key key = EventIds.Key.of(event);
			if (!toStore[i]) {
				appended.add(Appended.duplicateOf(event, seqOfId.get(key)));
				continue;
			}
			long seq = nextSeq.merge(event.room(), 1L, Long::sum) - 1;
			if (key != null) {
				seqOfId.put(key, seq);
			}
			appended.add(Appended.stored(event.numbered(seq)));
		}
		return appended;
	}

	@Override
	public Mono<RoomPosition> position(String room) {
		// A room without a head stands where its first append will start: above every retired head.
		return this.db.sql("""
				SELECT COALESCE(h.seq, l.retired_seq) AS seq, COALESCE(h.pruned_through, l.retired_seq) AS pruned_through
				FROM store_lineage l LEFT JOIN room_heads h ON h.room = $1 WHERE l.id = 1""")
			.bind(0, room)
			.map(row -> new RoomPosition(row.get("seq", Long.class), this.epoch, row.get("pruned_through", Long.class)))
			.one()
			.subscribeOn(this.scheduler)
			.onErrorMap(R2dbcEventStore::failure);
	}

	@Override
	public Mono<Map<String, Long>> newestSeqs(Collection<String> rooms) {
		if (rooms.isEmpty()) {
			return Mono.just(Map.of());
		}
		return this.db.sql("SELECT room, seq FROM room_heads WHERE room IN (" + SqlParameters.list(rooms.size()) + ")")
			.bindValues(List.copyOf(rooms))
			.map(row -> Map.entry(row.get("room", String.class), row.get("seq", Long.class)))
			.all()
			.filter(head -> head.getValue() > 0)
			.collectMap(Map.Entry::getKey, Map.Entry::getValue)
			.subscribeOn(this.scheduler)
			.onErrorMap(R2dbcEventStore::failure);
	}

	@Override
	public Flux<RoomEvent> read(String room, long afterSeq, long upToSeq, int limit) {
		return this.db
			// Not below what the room is pruned through: on PostgreSQL such events may wait for their partition's drop.
			.sql("""
					SELECT seq, event, data, ts, event_id, sender FROM room_events WHERE room = $1 AND seq > $2 AND seq <= $3
					AND seq > COALESCE((SELECT pruned_through FROM room_heads WHERE room = $1), (SELECT retired_seq FROM store_lineage WHERE id = 1))
					ORDER BY seq LIMIT $4""")
			.bind(0, room)
			.bind(1, afterSeq)
			.bind(2, upToSeq)
			.bind(3, limit)
			.map(row -> new RoomEvent(room, row.get("seq", Long.class), row.get("event", String.class),
					row.get("data", String.class), row.get("ts", Long.class), row.get("event_id", String.class),
					row.get("sender", String.class)))
			.all()
			.subscribeOn(this.scheduler)
			.onErrorMap(R2dbcEventStore::failure);
	}

	/**
	 * Pruning in index-friendly steps: first mark how far each room is pruned (by count over the
	 * heads; by age over the {@code ts} index from where the last prune by age stopped, or on
	 * PostgreSQL as the time partitions lying wholly before the cutoff are dropped), which is what
	 * joins see at once; then delete each marked room's range over the primary key, a thousand
	 * events per statement, leaving alone the partitions a later drop takes whole.
	 */
	// Rows deleted per statement: each stays short, and its dead rows are spread over time.
	private static final int PRUNE_CHUNK = 1000;

	private static final Duration PRUNE_PAUSE = Duration.ofMillis(20);

	/**
	 * One chunk of a room's marked range, deleted alone: the room's head is not touched, so appends to
	 * the room never wait for a delete. {@code keepOff}: a condition on {@code ts} that leaves the rows
	 * of partitions about to be dropped.
	 */
	private Mono<Long> deleteChunk(PruneRange chunk, String keepOff) {
		return this.db.sql("DELETE FROM room_events WHERE room = $1 AND seq > $2 AND seq <= $3" + keepOff)
			.bind(0, chunk.room())
			.bind(1, chunk.from())
			.bind(2, chunk.to())
			.fetch()
			.rowsUpdated();
	}

	/** Once its range is deleted, one update of the room's head says so. */
	private Mono<Long> deleteRange(PruneRange range, String keepOff) {
		return Flux.fromIterable(range.chunks(PRUNE_CHUNK))
			// A pause after a chunk that removed rows spreads the work: retention is never urgent, live traffic is.
			.concatMap(chunk -> deleteChunk(chunk, keepOff)
				.flatMap(count -> count == 0 ? Mono.just(0L) : Mono.delay(PRUNE_PAUSE).publishOn(this.scheduler).thenReturn(count)))
			.reduce(0L, Long::sum)
			.flatMap(count -> this.db.sql("UPDATE room_heads SET deleted_through = $1 WHERE room = $2 AND deleted_through < $1")
				.bind(0, range.to())
				.bind(1, range.room())
				.then()
				.thenReturn(count));
	}

	/** Events of a room with {@code from < seq <= to} are due for deletion. */
	private record PruneRange(String room, long from, long to) {

		List<PruneRange> chunks(int size) {
			List<PruneRange> chunks = new ArrayList<>();
			for (long start = this.from; start < this.to; start += size) {
				chunks.add(new PruneRange(this.room, start, Math.min(this.to, start + size)));
			}
			return chunks;
		}

	}

	@Override
	public Mono<Long> prune(long olderThanMillis, long keepPerRoom) {
		// A room at a time (RoomHeads says why).
		Mono<Void> markByCount = this.db.sql("SELECT room, seq - $1 AS through FROM room_heads WHERE seq - $1 > pruned_through ORDER BY room")
			.bind(0, keepPerRoom)
			.map(row -> Map.entry(row.get("room", String.class), row.get("through", Long.class)))
			.all()
			.concatMap(room -> this.heads.markPrunedThrough(room.getKey(), room.getValue()))
			.then();
		// Only the events stamped since the last prune by age: those before were marked then. On
		// PostgreSQL not those of the time partitions either: a partition's drop marks its rooms (an
		// event older than the cutoff stays readable until then, at most an interval), and reading every
		// new event's ts at each prune cost the database more than the drop (43 ms a prune at 20,000/s).
		Mono<String> ageScanned = this.partitions == null ? Mono.just("")
				: this.partitions.list().map(ranges -> EventPartitions.outsideOf(ranges, Long.MAX_VALUE));
		Mono<Void> markByAge = Mono.zip(ageScanned, this.db.sql("SELECT aged_through FROM store_lineage WHERE id = 1")
			.map(row -> row.get("aged_through", Long.class))
			.one())
			.flatMapMany(scan -> this.db.sql("SELECT room, MAX(seq) AS through FROM room_events WHERE ts >= $1 AND ts < $2" + scan.getT1()
					+ " GROUP BY room")
				.bind(0, scan.getT2())
				.bind(1, olderThanMillis)
				.map(row -> Map.entry(row.get("room", String.class), row.get("through", Long.class)))
				.all())
			.concatMap(room -> this.heads.markPrunedThrough(room.getKey(), room.getValue()))
			.then(this.db.sql("UPDATE store_lineage SET aged_through = $1 WHERE id = 1 AND aged_through < $1")
				.bind(0, olderThanMillis)
				.then());
		Mono<Long> dropped = this.partitions == null ? Mono.just(0L) : this.partitions.dropBefore(olderThanMillis);
		Mono<String> keepOff = this.partitions == null ? Mono.just("")
				: this.partitions.list().map(ranges -> EventPartitions.outsideOf(ranges, olderThanMillis));
		Flux<Long> deleted = keepOff.flatMapMany(condition -> this.db
			.sql("SELECT room, deleted_through, pruned_through FROM room_heads WHERE pruned_through > deleted_through")
			.map(row -> new PruneRange(row.get("room", String.class), row.get("deleted_through", Long.class),
					row.get("pruned_through", Long.class)))
			.all()
			.concatMap(range -> deleteRange(range, condition)));
		return preparePartitions().then(markByCount).then(markByAge)
			.then(dropped)
			.flatMap(droppedEvents -> deleted.reduce(droppedEvents, Long::sum))
			.flatMap(removed -> retireEmptyHeads().thenReturn(removed))
			// Ids outlive their events when the retention is shorter than a day.
			.flatMap(removed -> this.ids.prune(Math.min(olderThanMillis, System.currentTimeMillis() - ID_RETENTION_MILLIS))
				.thenReturn(removed))
			.subscribeOn(this.scheduler);
	}

	/**
	 * Removes the heads of rooms with no event left, in two steps a prune interval apart: first the
	 * retired seq is raised over them (so a new head starts above them), and only at a later prune
	 * are heads still empty and below it removed. An append that read the retired seq before it was
	 * raised has ended long before its room's head can be removed.
	 */
	private Mono<Void> retireEmptyHeads() {
		Mono<Void> removeRetired = this.db.sql("""
				DELETE FROM room_heads WHERE deleted_through >= seq
				AND seq <= (SELECT retired_seq FROM store_lineage WHERE id = 1)""").then();
		Mono<Void> raiseRetired = this.db.sql("""
				UPDATE store_lineage SET retired_seq = (SELECT MAX(seq) FROM room_heads WHERE deleted_through >= seq)
				WHERE id = 1 AND retired_seq < (SELECT MAX(seq) FROM room_heads WHERE deleted_through >= seq)""").then();
		return removeRetired.then(raiseRetired);
	}

}
