package io.eventgateway.gateway.websocket;

import java.util.ArrayList;
import java.util.List;

import io.eventgateway.core.connection.Offer;
import io.eventgateway.core.connection.CloseReason;
import io.eventgateway.core.event.RoomEvent;
import io.eventgateway.core.room.RoomMember;

/**
 * One connection's membership of one room. While the join is in progress (replaying history),
 * live durable events are held back and sent after the {@code joined} reply; afterwards each
 * durable event is sent at most once, in {@code seq} order, by remembering the last {@code seq} sent.
 */
final class RoomSubscription implements RoomMember {

	private final String room;

	private final ClientConnection connection;

	private final int maxHeldBack;

	private final Runnable onDrop;

	private long lastSeq;

	private List<RoomEvent> heldBack = new ArrayList<>();

	RoomSubscription(String room, ClientConnection connection, int maxHeldBack, Runnable onDrop) {
		this.room = room;
		this.connection = connection;
		this.maxHeldBack = maxHeldBack;
		this.onDrop = onDrop;
	}

	@Override
	public String user() {
		return this.connection.identity().user();
	}

	String room() {
		return this.room;
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

	/** Sends a replayed event; only the joining request calls this, before {@link #completeJoin}. */
	synchronized void replay(RoomEvent event) {
		if (event.seq() > this.lastSeq) {
			this.lastSeq = event.seq();
			this.connection.sendEvent(event.wire(), true);
		}
	}

	/**
	 * Ends the join: the reply goes out, then the events that arrived meanwhile and are newer than
	 * {@code position}.
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

	synchronized boolean isJoined() {
		return this.heldBack == null;
	}

	synchronized long lastSeq() {
		return this.lastSeq;
	}

	private void send(RoomEvent event) {
		if (event.isDurable()) {
			if (event.seq() <= this.lastSeq) {
				return;
			}
			this.lastSeq = event.seq();
		}
		if (this.connection.sendEvent(event.wire(), event.isDurable()) == Offer.DROPPED) {
			this.onDrop.run();
		}
	}

}
