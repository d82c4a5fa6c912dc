package io.eventgateway.gateway.websocket;

import java.util.Collection;
import java.util.Collections;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** Every open connection of this instance, for heartbeats and for draining. */
public final class ConnectionRegistry {

	private final Set<ClientConnection> connections = ConcurrentHashMap.newKeySet();

	void add(ClientConnection connection) {
		this.connections.add(connection);
	}

	void remove(ClientConnection connection) {
		this.connections.remove(connection);
	}

	public int size() {
		return this.connections.size();
	}

	public Collection<ClientConnection> all() {
		return Collections.unmodifiableSet(this.connections);
	}

}
