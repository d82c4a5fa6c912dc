package io.eventgateway.core.connection;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;

import io.eventgateway.core.auth.ClientIdentity;
import io.eventgateway.core.ratelimit.TokenBucket;

/**
 * The server's side of one client connection, whatever carries it: who it is, the rooms it is a
 * member of, its outbound queue and its budgets. Requests of one connection are handled one at a
 * time, so the budgets need no lock; memberships change from the request and from the close, so
 * they are kept under the connection's lock, as a small array (most connections join a few rooms).
 */
public final class Connection {

	private static final Membership[] NO_ROOMS = new Membership[0];

	private final long id;

	private volatile ClientIdentity identity;

	/** When to tell the client its token is about to expire, in epoch milliseconds; 0 when not (or no longer) due. */
	private volatile long expiringNoticeAt;

	private final OutboundQueue outbound;

	private final TokenBucket requestBudget;

	private final TokenBucket badInputBudget;

	private Membership[] rooms = NO_ROOMS;

	private int pendingPublishes;

	/** Set when the connection is to close once its pending publishes have their answers. */
	private CloseReason closingAfterPublishes;

	private volatile long lastSeenNanos;

	private volatile long lastPingNanos;

	public Connection(long id, ClientIdentity identity, OutboundQueue outbound, TokenBucket requestBudget,
			TokenBucket badInputBudget, long nowNanos) {
		this.id = id;
		this.identity = identity;
		this.outbound = outbound;
		this.requestBudget = requestBudget;
		this.badInputBudget = badInputBudget;
		this.lastSeenNanos = nowNanos;
		this.lastPingNanos = nowNanos;
	}

	/** A short, unique name of this connection for logs. */
	public String id() {
		return Long.toHexString(this.id);
	}

	public ClientIdentity identity() {
		return this.identity;
	}

	public String user() {
		return this.identity.user();
	}

	public OutboundQueue outbound() {
		return this.outbound;
	}

	/** Queues a reply; replies are never dropped, a full queue closes the connection instead. */
	public void send(byte[] line) {
		this.outbound.offer(line, false);
	}

	/** Starts closing with the reason's code; the outbound queue carries it out on the writer. */
	public void close(CloseReason reason) {
		this.outbound.close(reason);
	}

	/**
	 * Closes once every durable publish in flight has its ack or error written, so that none ends
	 * unanswered; publishes that come meanwhile are refused ({@link #isSettlingToClose()}).
	 */
	public synchronized void closeOncePublishesSettle(CloseReason reason) {
		this.closingAfterPublishes = reason;
		if (this.pendingPublishes == 0) {
			close(reason);
		}
	}

	/** Whether the connection waits for its pending publishes to close: new ones are refused. */
	public synchronized boolean isSettlingToClose() {
		return this.closingAfterPublishes != null;
	}

	public boolean isClosing() {
		return this.outbound.closeReason() != null;
	}

	public boolean isExpired(Instant now) {
		return this.identity.isExpired(now);
	}

	/** Whether the {@code expiring} notice is due now; {@code true} once per token. */
	public boolean takeExpiringNotice(long nowMillis) {
		long due = this.expiringNoticeAt;
		if (due == 0 || nowMillis < due) {
			return false;
		}
		this.expiringNoticeAt = 0;
		return true;
	}

	/**
	 * Takes a fresh token of the same user (checked by the caller) from now on.
	 *
	 * @param expiringNoticeAt when to send its {@code expiring} notice, in epoch milliseconds; 0 for none
	 */
	public void refresh(ClientIdentity fresh, long expiringNoticeAt) {
		this.identity = fresh;
		this.expiringNoticeAt = expiringNoticeAt;
	}

	/** Takes one request (of any kind) from the per-connection rate. */
	public boolean tryRequest() {
		return this.requestBudget.tryTake();
	}

	/** Counts one bad request; {@code false} once the client has used up its tolerance. */
	public boolean toleratesBadInput() {
		return this.badInputBudget.tryTake();
	}

	/** Counts a durable publish awaiting its ack; {@code false} past {@code limit}, or once settling to close. */
	public synchronized boolean tryStartPublish(int limit) {
		if (this.pendingPublishes >= limit || this.closingAfterPublishes != null) {
			return false;
		}
		this.pendingPublishes++;
		return true;
	}

	public synchronized void publishDone() {
		this.pendingPublishes--;
		if (this.pendingPublishes == 0 && this.closingAfterPublishes != null) {
			close(this.closingAfterPublishes);
		}
	}

	public void touch(long nowNanos) {
		this.lastSeenNanos = nowNanos;
	}

	public long lastSeenNanos() {
		return this.lastSeenNanos;
	}

	public long lastPingNanos() {
		return this.lastPingNanos;
	}

	public void ping(long nowNanos) {
		this.lastPingNanos = nowNanos;
		this.outbound.ping();
	}

	public synchronized Membership membership(String room) {
		for (Membership membership : this.rooms) {
			if (membership.room().equals(room)) {
				return membership;
			}
		}
		return null;
	}

	public synchronized int roomCount() {
		return this.rooms.length;
	}

	public synchronized List<Membership> memberships() {
		return List.of(this.rooms);
	}

	synchronized void add(Membership membership) {
		Membership[] grown = Arrays.copyOf(this.rooms, this.rooms.length + 1);
		grown[this.rooms.length] = membership;
		this.rooms = grown;
	}

	/** Removes the membership; {@code false} when it was not (or no longer) there. */
	synchronized boolean remove(Membership membership) {
		for (int i = 0; i < this.rooms.length; i++) {
			if (this.rooms[i] == membership) {
				Membership[] shrunk = (this.rooms.length == 1) ? NO_ROOMS : new Membership[this.rooms.length - 1];
				System.arraycopy(this.rooms, 0, shrunk, 0, i);
				System.arraycopy(this.rooms, i + 1, shrunk, i, this.rooms.length - i - 1);
				this.rooms = shrunk;
				return true;
			}
		}
		return false;
	}

	@Override
	public String toString() {
		return "Connection[" + id() + " " + user() + "]";
	}

}
