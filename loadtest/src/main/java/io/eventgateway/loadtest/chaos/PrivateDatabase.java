package io.eventgateway.loadtest.chaos;

import java.time.Duration;
import java.util.List;

/**
 * A database of the run's own on the local PostgreSQL (trust auth, user {@code postgres}), created
 * fresh and dropped at the end. The server itself is shared and never touched: faults reach the
 * database only through a {@link FaultProxy}.
 */
final class PrivateDatabase implements AutoCloseable {

	private final String host;

	private final int port;

	private final String name;

	private boolean created;

	PrivateDatabase(String address, String name) {
		String[] hostPort = address.split(":");
		this.host = hostPort[0];
		this.port = Integer.parseInt(hostPort[1]);
		if (!name.matches("[a-z_][a-z0-9_]*")) {
			throw new IllegalArgumentException("not a plain database name: " + name);
		}
		this.name = name;
	}

	String address() {
		return this.host + ":" + this.port;
	}

	String name() {
		return this.name;
	}

	void create() {
		psql("CREATE DATABASE " + this.name);
		this.created = true;
	}

	private void psql(String statement) {
		ChildProcesses.run(List.of("psql", "-h", this.host, "-p", String.valueOf(this.port), "-U", "postgres", "-d", "postgres", "-qAtc",
				statement), Duration.ofSeconds(60));
	}

	@Override
	public void close() {
		if (this.created) {
			this.created = false;
			// FORCE: a killed gateway's connections may not have been noticed by the server yet.
			psql("DROP DATABASE IF EXISTS " + this.name + " WITH (FORCE)");
		}
	}

}
