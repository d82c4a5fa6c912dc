package io.eventgateway.persistence;

import java.util.Optional;

import io.r2dbc.spi.R2dbcException;

/**
 * Tells the database's refusals of what a call asked (SQLSTATE class 22, data exception, and 23,
 * integrity constraint violation) from failures of the database itself.
 */
final class StoreErrors {

	private StoreErrors() {
	}

	/** Whether the error, or one of its causes, is the database refusing the call's data. */
	static boolean isDataError(Throwable error) {
		return sqlStateClass(error).map(state -> state.equals("22") || state.equals("23")).orElse(false);
	}

	/** Whether the database refused the call for a constraint (SQLSTATE class 23), such as a unique key. */
	static boolean isConstraintViolation(Throwable error) {
		return sqlStateClass(error).map("23"::equals).orElse(false);
	}

	private static Optional<String> sqlStateClass(Throwable error) {
		for (Throwable cause = error; cause != null; cause = cause.getCause()) {
			if (cause instanceof R2dbcException r2dbc && r2dbc.getSqlState() != null && r2dbc.getSqlState().length() >= 2) {
				return Optional.of(r2dbc.getSqlState().substring(0, 2));
			}
			if (cause.getCause() == cause) {
				break;
			}
		}
		return Optional.empty();
	}

}
