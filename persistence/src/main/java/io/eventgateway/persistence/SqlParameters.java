package io.eventgateway.persistence;

import org.springframework.r2dbc.core.Parameter;

/** The placeholders and bind values of statements whose size depends on a batch. */
final class SqlParameters {

	private static final Parameter NO_TEXT = Parameter.empty(String.class);

	private SqlParameters() {
	}

	/** {@code ($1, $2), ($3, $4)}: the placeholders of {@code rows} rows of {@code columns} values. */
	static String rows(int rows, int columns) {
		StringBuilder sql = new StringBuilder(rows * columns * 5);
		for (int row = 0; row < rows; row++) {
			sql.append(row == 0 ? "(" : ", (").append(list(row * columns, columns)).append(')');
		}
		return sql.toString();
	}

	/** {@code $1, $2, $3}: {@code count} placeholders. */
	static String list(int count) {
		return list(0, count);
	}

	private static String list(int before, int count) {
		StringBuilder sql = new StringBuilder(count * 5);
		for (int i = 1; i <= count; i++) {
			sql.append(i == 1 ? "$" : ", $").append(before + i);
		}
		return sql.toString();
	}

	/** A text to bind: bind values must not be null, so an absent one is a typed null. */
	static Object text(String value) {
		return (value == null) ? NO_TEXT : value;
	}

}
