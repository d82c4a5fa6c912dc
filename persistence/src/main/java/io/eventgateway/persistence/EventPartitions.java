package io.eventgateway.persistence;

import java.time.Duration;

import org.springframework.r2dbc.core.DatabaseClient;
import reactor.core.publisher.Mono;

/**
 * PostgreSQL's events live in time ranges of one width (migration V7): ranges are created ahead of
 * the clock, and a range wholly older than the retention window is dropped at once instead of its
 * rows being deleted one by one under live appends. The work is done by two functions in the
 * database, so every instance (and the migration at start-up) runs the same rules.
 */
final class EventPartitions {

	/** Ranges kept ahead of the clock: an instance may miss a prune or two and still find one. */
	static final int AHEAD = 3;

	static final String PREPARE = "SELECT room_events_prepare_partitions(?, ?, ?)";

	private final DatabaseClient db;

	private final long widthMillis;

	EventPartitions(DatabaseClient db, Duration width) {
		this.db = db;
		this.widthMillis = width.toMillis();
	}

	Mono<Integer> prepare(long nowMillis) {
		return this.db.sql("SELECT room_events_prepare_partitions($1, $2, $3) AS created")
			.bind(0, nowMillis)
			.bind(1, this.widthMillis)
			.bind(2, AHEAD)
			.map(row -> row.get("created", Integer.class))
			.one();
	}

	/**
	 * Drops every range that ends at or before the cut-off, oldest first, one per statement so each
	 * holds its lock on the table briefly; returns how many. The caller has marked their events
	 * pruned first, so no join is answered from a range about to go.
	 */
	Mono<Long> dropEndingBefore(long cutoffMillis) {
		Mono<Integer> dropOne = this.db.sql("SELECT room_events_drop_oldest_partition_before($1) AS dropped")
			.bind(0, cutoffMillis)
			.map(row -> row.get("dropped", Integer.class))
			.one();
		return dropOne.expand(dropped -> dropped == 0 ? Mono.empty() : dropOne)
			.reduce(0L, Long::sum);
	}

}
