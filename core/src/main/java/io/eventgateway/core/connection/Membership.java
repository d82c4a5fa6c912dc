package io.eventgateway.core.connection;

import java.util.ArrayList;
import java.util.List;

import io.eventgateway.core.event.RoomEvent;
import io.eventgateway.core.room.RoomMember;

/**
 * One connection's membership of one room. While its join is in progress (waiting for the room's
 * subscription, replaying history), live durable events are held back and sent after the
 * {@code joined} reply; afterwards each durable event is sent at most once, in {@code seq} order,
 * by remembering the last {@code seq} sent.
 */
public final class Membership implements RoomMember {

	private final String room;

	private final Connection connection;

	private final int maxHeldBack;

	private final Runnable onVolatileDrop;

	private long lastSeq;

	private List<RoomEvent> heldBack = new ArrayList<>(0);

	/**
	 * @param maxHeldBack live events held back while the join is in progress; one more closes the
	 * connection as a slow consumer (it recovers with {@code since})
	 * @param onVolatileDrop told when a volatile event did not fit the connection's queue
	 */
	public Membership(String room, Connection connection, int maxHeldBack, Runnable onVolatileDrop) {
		this.room = room;
		this.connection = connection;
		this.maxHeldBack = maxHeldBack;
		this.onVolatileDrop = onVolatileDrop;
	}

	public String room() {
		return this.room;
	}

	public Connection connection() {
		return this.connection;
	}

	@Override
	public String user() {
		return this.connection.user();
	}

	@Override
	public synchronized void deliver(RoomEvent event) {
		if (this.heldBack != null) {
			// Volatile events during a join are dropped: they have no place in the replayed order.
			if (event.isDurable()) {
				if (this.heldBack.size() >= this.maxHeldBack) {
					this.connection.close(CloseReason.SLOW_CONSUMER);
					return;
				}
				this.heldBack.add(event);
			}
			return;
		}
		send(event);
	}

	/** Sends a replayed event; only the join calls this, before {@link #completeJoin}. */
	synchronized void replay(RoomEvent event) {
		if (event.seq() > this.lastSeq) {
			this.lastSeq = event.seq();
			this.connection.outbound().offer(event.wire(), false);
		}
	}

	/**
	 * Ends the join: the reply goes out, then the events that arrived meanwhile and are newer than
	 * {@code position}, in the order they arrived (the room's delivery keeps {@code seq} order).
	 */
	synchronized void completeJoin(long position, byte[] joinedReply) {
		this.lastSeq = Math.max(this.lastSeq, position);
		this.connection.send(joinedReply);
		List<RoomEvent> arrived = this.heldBack;
		this.heldBack = null;
		for (RoomEvent event : arrived) {
			send(event);
		}
	}

	/** The newest {@code seq} this member has been given (or was told it is at). */
	public synchronized long lastSeq() {
		return this.lastSeq;
	}

	private void send(RoomEvent event) {
		if (event.isDurable()) {
			if (event.seq() <= this.lastSeq) {
				return;
			}
			this.lastSeq = event.seq();
		}
		if (this.connection.outbound().offer(event.wire(), !event.isDurable()) == Offer.DROPPED) {
			this.onVolatileDrop.run();
		}
	}

	@Override
	public String toString() {
		return "Membership[" + this.room + " " + this.connection + "]";
	}

}
