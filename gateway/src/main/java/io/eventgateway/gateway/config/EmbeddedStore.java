package io.eventgateway.gateway.config;

/** The R2DBC URL of the embedded default: H2 in memory, in PostgreSQL mode so one SQL serves both. */
final class EmbeddedStore {

	private EmbeddedStore() {
	}

	static String url(String name) {
		return "r2dbc:h2:mem:///" + name + "?options=DB_CLOSE_DELAY=-1;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE";
	}

}
