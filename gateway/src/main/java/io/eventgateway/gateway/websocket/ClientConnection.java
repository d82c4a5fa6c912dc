package io.eventgateway.gateway.websocket;

import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import io.eventgateway.core.connection.CloseReason;
import io.eventgateway.core.connection.Offer;
import io.eventgateway.core.connection.OutboundQueue;
import io.eventgateway.core.ratelimit.TokenBucket;
import io.eventgateway.gateway.auth.ClientIdentity;

/**
 * The server's side of one WebSocket connection: who it is, its rooms, its outbound queue and its
 * budgets. Requests of one connection are handled one at a time, so the budgets need no lock.
 */
public final class ClientConnection {

	private final String id;

	private final ClientIdentity identity;

	private final OutboundQueue outbound;

	private final Map<String, RoomSubscription> rooms = new ConcurrentHashMap<>();

	private final TokenBucket publishBudget;

	private final TokenBucket badInputBudget;

	private final AtomicInteger pendingPublishes = new AtomicInteger();

	private volatile long lastSeenNanos;

	private volatile long lastPingNanos;

	ClientConnection(String id, ClientIdentity identity, OutboundQueue outbound, TokenBucket publishBudget,
			TokenBucket badInputBudget, long nowNanos) {
		this.id = id;
		this.identity = identity;
		this.outbound = outbound;
		this.publishBudget = publishBudget;
		this.badInputBudget = badInputBudget;
		this.lastSeenNanos = nowNanos;
		this.lastPingNanos = nowNanos;
	}

	public String id() {
		return this.id;
	}

	public ClientIdentity identity() {
		return this.identity;
	}

	public OutboundQueue outbound() {
		return this.outbound;
	}

	Map<String, RoomSubscription> rooms() {
		return this.rooms;
	}

	/** Queues a reply; replies are never dropped, a full queue closes the connection instead. */
	void send(byte[] line) {
		this.outbound.offer(line, false);
	}

	/** Queues an event line; volatile ones may be dropped. */
	Offer sendEvent(byte[] line, boolean durable) {
		return this.outbound.offer(line, !durable);
	}

	/** Starts closing with the reason's code; the outbound queue carries it out on the writer. */
	public void close(CloseReason reason) {
		this.outbound.close(reason);
	}

	public boolean isClosing() {
		return this.outbound.closeReason() != null;
	}

	boolean tryPublish() {
		return this.publishBudget.tryTake();
	}

	/** Counts one bad request; {@code false} once the client has used up its tolerance. */
	boolean toleratesBadInput() {
		return this.badInputBudget.tryTake();
	}

	boolean tryStartPublish(int limit) {
		if (this.pendingPublishes.incrementAndGet() > limit) {
			this.pendingPublishes.decrementAndGet();
			return false;
		}
		return true;
	}

	void publishDone() {
		this.pendingPublishes.decrementAndGet();
	}

	void touch(long nowNanos) {
		this.lastSeenNanos = nowNanos;
	}

	long lastSeenNanos() {
		return this.lastSeenNanos;
	}

	long lastPingNanos() {
		return this.lastPingNanos;
	}

	void ping(long nowNanos) {
		this.lastPingNanos = nowNanos;
		this.outbound.ping();
	}

	boolean isExpired(Instant now) {
		return this.identity.isExpired(now);
	}

}
