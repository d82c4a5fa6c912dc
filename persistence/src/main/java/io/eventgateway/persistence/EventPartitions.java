package io.eventgateway.persistence;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.r2dbc.spi.ConnectionFactory;
import org.springframework.r2dbc.connection.R2dbcTransactionManager;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.util.Logger;
import reactor.util.Loggers;

/**
 * The time partitions of {@code room_events} on PostgreSQL (migration V8): one table per interval of
 * {@code ts}, made ahead of the clock and dropped whole once it lies entirely before the retention
 * cutoff, so retention costs the live appends no row deletes. Below the partitions lies
 * {@code room_events_before} (the events of before the migration, and any stamped that early), above
 * them the default partition; their rows are deleted one by one as before.
 */
final class EventPartitions {

	private static final Logger logger = Loggers.getLogger(EventPartitions.class);

	private static final Pattern NAME = Pattern.compile("room_events_(\\d+)_(\\d+)");

	private static final Pattern UPPER_BOUND = Pattern.compile("TO \\('?(-?\\d+)'?\\)");

	/**
	 * How long a drop (or a make) may wait for its lock on {@code room_events}: appends and reads queue
	 * behind it while it waits, so it gives up soon and is tried again at the next prune.
	 */
	static final Duration LOCK_WAIT = Duration.ofMillis(20);

	/**
	 * How long a drop may wait to close the old partition to inserts: nothing live waits behind that
	 * lock, and an autovacuum of the partition gives way only after a second.
	 */
	static final Duration PARTITION_LOCK_WAIT = Duration.ofSeconds(2);

	/** Interval partitions made ahead of the one the clock is in. */
	private static final int AHEAD = 1;

	private final DatabaseClient db;

	private final TransactionalOperator transactional;

	private final long intervalMillis;

	private final RoomHeads heads;

	/** One interval's partition: events with {@code from <= ts < to}. */
	record Range(String table, long from, long to) {

		static Range of(long from, long to) {
			return new Range("room_events_" + from + "_" + to, from, to);
		}

	}

	EventPartitions(ConnectionFactory connectionFactory, Duration interval) {
		if (interval.toMillis() <= 0) {
			throw new IllegalArgumentException("a partition interval must be positive: " + interval);
		}
		this.db = DatabaseClient.create(connectionFactory);
		this.transactional = TransactionalOperator.create(new R2dbcTransactionManager(connectionFactory));
		this.intervalMillis = interval.toMillis();
		this.heads = new RoomHeads(this.db);
	}

	/** The interval partitions that exist, oldest first. */
	Mono<List<Range>> list() {
		return this.db.sql("""
				SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
				WHERE i.inhparent = 'room_events'::regclass""")
			.map(row -> row.get("relname", String.class))
			.all()
			.<Range>handle((name, sink) -> {
				Matcher matcher = NAME.matcher(name);
				if (matcher.matches()) {
					sink.next(new Range(name, Long.parseLong(matcher.group(1)), Long.parseLong(matcher.group(2))));
				}
			})
			.sort(Comparator.comparingLong(Range::from))
			.collectList();
	}

	/**
	 * Makes the partitions of the interval {@code now} is in and of the next, each beginning where the
	 * newest one ends, so partitions never overlap or leave a gap, even when the interval changed.
	 */
	Mono<Void> makeAhead(long now) {
		return Mono.zip(list(), partitionsBegin()).flatMap(existing -> {
			long end = existing.getT1().isEmpty() ? existing.getT2() : existing.getT1().get(existing.getT1().size() - 1).to();
			long current = Math.floorDiv(now, this.intervalMillis) * this.intervalMillis;
			// After a long stop the intervals missed stay unmade: their events, if any, are in the default partition.
			long from = Math.max(end, current);
			List<Range> missing = new ArrayList<>();
			long until = current + (AHEAD + 1) * this.intervalMillis;
			while (from < until) {
				long to = (Math.floorDiv(from, this.intervalMillis) + 1) * this.intervalMillis;
				missing.add(Range.of(from, to));
				from = to;
			}
			return Flux.fromIterable(missing).concatMap(this::make).then();
		});
	}

	private Mono<Void> make(Range range) {
		// Made apart with its indexes and then attached: CREATE TABLE ... PARTITION OF would hold the
		// parent's ACCESS EXCLUSIVE lock while it builds them (31 ms here), with every append waiting,
		// where ATTACH takes a lock appends and reads pass (and scans the default partition, empty).
		// Another instance may have made it at the same moment.
		return this.transactional.transactional(lockWait(LOCK_WAIT)
			.then(this.db.sql("CREATE TABLE IF NOT EXISTS " + range.table() + " (LIKE room_events INCLUDING DEFAULTS INCLUDING INDEXES)")
				.then())
			.then(this.db.sql("ALTER TABLE room_events ATTACH PARTITION " + range.table() + " FOR VALUES FROM (" + range.from() + ") TO ("
					+ range.to() + ")").then()))
			// Another instance attaching it first is no fault; anything else is said, and tried again next time.
			.onErrorResume(error -> list().onErrorReturn(List.of()).flatMap(existing -> {
				if (!existing.contains(range)) {
					logger.warn("could not make the event partition {}: {}", range.table(), error.getMessage());
				}
				return Mono.empty();
			}));
	}

	/** Where the interval partitions begin: the upper bound of {@code room_events_before}. */
	private Mono<Long> partitionsBegin() {
		return this.db.sql("SELECT pg_get_expr(relpartbound, oid) AS bound FROM pg_class WHERE oid = 'room_events_before'::regclass")
			.map(row -> row.get("bound", String.class))
			.one()
			.map(bound -> {
				Matcher matcher = UPPER_BOUND.matcher(bound);
				if (!matcher.find()) {
					throw new IllegalStateException("room_events_before has no upper bound: " + bound);
				}
				return Long.parseLong(matcher.group(1));
			});
	}

	/**
	 * Drops every partition lying wholly before {@code cutoff}, oldest first, and returns about how
	 * many events went with them (the planner's count). Before a drop, with the partition closed to
	 * inserts, each room is marked pruned through its newest event there: an event stamped that early
	 * but stored after the prune by age had looked (a clock far behind) is then pruned like its
	 * neighbours instead of leaving a hole in the room's history. A drop that cannot have its locks
	 * soon is left to the next prune.
	 */
	Mono<Long> dropBefore(long cutoff) {
		return list().flatMapMany(Flux::fromIterable)
			.filter(range -> range.to() <= cutoff)
			.concatMap(this::drop)
			.reduce(0L, Long::sum);
	}

	private Mono<Long> drop(Range range) {
		String table = range.table();
		// First outside the drop's transaction, where each head row waits for its room's append in
		// flight with no lock timeout; inside, with the partition closed to inserts, it finds only what
		// was stored meanwhile (nearly always nothing), so the drop waits for no head row.
		Mono<Long> dropped = lockWait(PARTITION_LOCK_WAIT)
			.then(this.db.sql("LOCK TABLE " + table + " IN SHARE MODE").then())
			.then(markPrunedThrough(table))
			// The planner's count, or a real one for a table never analyzed (small, or autovacuum is off).
			.then(this.db.sql("SELECT CASE WHEN reltuples < 0 THEN (SELECT COUNT(*) FROM " + table + ") ELSE reltuples::BIGINT END AS estimate"
					+ " FROM pg_class WHERE oid = '" + table + "'::regclass")
				.map(row -> row.get("estimate", Long.class))
				.one())
			.flatMap(estimate -> lockWait(LOCK_WAIT).then(this.db.sql("DROP TABLE " + table).then()).thenReturn(estimate));
		return markPrunedThrough(table)
			.then(this.transactional.transactional(dropped))
			.doOnNext(estimate -> logger.info("dropped the event partition {} (about {} events)", table, estimate))
			.onErrorResume(error -> {
				logger.warn("could not drop the event partition {} yet: {}", table, error.getMessage());
				return Mono.empty();
			});
	}

	/**
	 * Each room pruned through its newest event in the partition, where it is not already, in name
	 * order: inside the drop's transaction the marks hold their heads until it ends.
	 */
	private Mono<Void> markPrunedThrough(String table) {
		return this.db.sql("SELECT room, through FROM (SELECT r.room, r.pruned_through, (SELECT MAX(e.seq) FROM " + table
				+ " e WHERE e.room = r.room) AS through FROM room_heads r) p WHERE p.through > p.pruned_through ORDER BY p.room")
			.map(row -> Map.entry(row.get("room", String.class), row.get("through", Long.class)))
			.all()
			.concatMap(room -> this.heads.markPrunedThrough(room.getKey(), room.getValue()))
			.then();
	}

	private Mono<Void> lockWait(Duration wait) {
		return this.db.sql("SET LOCAL lock_timeout = '" + wait.toMillis() + "ms'").then();
	}

	/**
	 * The condition that keeps a statement off the partitions beginning before {@code cutoff}: a row
	 * delete off those a later drop removes whole, the prune by age off all of them (their drop
	 * marks their rooms). Empty when there are none.
	 */
	static String outsideOf(List<Range> ranges, long cutoff) {
		StringBuilder condition = new StringBuilder();
		long from = Long.MIN_VALUE;
		long to = Long.MIN_VALUE;
		for (Range range : ranges) {
			if (range.from() >= cutoff) {
				break;
			}
			if (range.from() == to) {
				to = range.to();
				continue;
			}
			appendOutside(condition, from, to);
			from = range.from();
			to = range.to();
		}
		appendOutside(condition, from, to);
		return condition.toString();
	}

	private static void appendOutside(StringBuilder condition, long from, long to) {
		if (to > from) {
			// As a disjunction, which the planner's partition pruning understands.
			condition.append(" AND (ts < ").append(from).append(" OR ts >= ").append(to).append(')');
		}
	}

}
