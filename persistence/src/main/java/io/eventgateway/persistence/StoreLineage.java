package io.eventgateway.persistence;

import java.security.SecureRandom;
import java.util.HexFormat;

import io.r2dbc.spi.ConnectionFactory;
import org.springframework.r2dbc.core.DatabaseClient;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * The lineage (epoch) of a database's history: one value per database, made the first time it is
 * asked for. A wiped or new database gets a new one. Every store of the database reports it.
 */
public record StoreLineage(String epoch) {

	private static final HexFormat HEX = HexFormat.of();

	/** Reads the database's lineage, creating it on first use. */
	public static Mono<StoreLineage> read(ConnectionFactory connectionFactory, Scheduler scheduler) {
		DatabaseClient db = DatabaseClient.create(connectionFactory);
		String candidate = HEX.formatHex(SecureRandom.getSeed(4));
		return db.sql("INSERT INTO store_lineage (id, epoch) VALUES (1, $1) ON CONFLICT DO NOTHING")
			.bind(0, candidate)
			.then()
			.then(db.sql("SELECT epoch FROM store_lineage WHERE id = 1")
				.map(row -> new StoreLineage(row.get("epoch", String.class)))
				.one())
			.subscribeOn(scheduler);
	}

}
