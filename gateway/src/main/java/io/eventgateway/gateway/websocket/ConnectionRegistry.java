package io.eventgateway.gateway.websocket;

import java.util.Collection;
import java.util.Collections;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.eventgateway.core.connection.Connection;

/** Every open connection of this instance, for heartbeats and for draining. */
public final class ConnectionRegistry {

	private final Set<Connection> connections = ConcurrentHashMap.newKeySet();

	void add(Connection connection) {
		this.connections.add(connection);
	}

	void remove(Connection connection) {
		this.connections.remove(connection);
	}

	public int size() {
		return this.connections.size();
	}

	public Collection<Connection> all() {
		return Collections.unmodifiableSet(this.connections);
	}

}
