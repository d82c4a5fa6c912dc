package io.eventgateway.core.connection;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import io.eventgateway.core.event.RoomEvent;
import io.eventgateway.core.store.EventStore;
import io.eventgateway.core.store.RoomPosition;
import reactor.core.publisher.Mono;

/**
 * Recovery of a rejoining member: whether the events it missed can still be replayed, and the
 * replay itself, a page at a time as the connection's queue drains. A recovery is whole or it is
 * not made: a replay that finds the store no longer holds an event it needs (retention removed it
 * meanwhile) ends with {@code false}, and the join says {@code recovered:false}.
 */
public final class Recovery {

	private final EventStore store;

	private final long retainEvents;

	private final int pageSize;

	private final AtomicLong replayedEvents = new AtomicLong();

	/**
	 * @param retainEvents a recovery replays at most this many events
	 * @param pageSize events read per store query
	 */
	public Recovery(EventStore store, long retainEvents, int pageSize) {
		this.store = store;
		this.retainEvents = retainEvents;
		this.pageSize = pageSize;
	}

	/** Events handed to rejoining members by replays so far. */
	public long replayedEvents() {
		return this.replayedEvents.get();
	}

	/** Whether every event of the room after {@code since} in lineage {@code epoch} is still stored. */
	public boolean canRecover(RoomPosition position, long since, String epoch) {
		return (epoch == null || epoch.equals(position.epoch())) && position.canReplayFrom(since)
				&& position.seq() - since <= this.retainEvents;
	}

	/**
	 * Sends the room's events after {@code after} up to {@code upTo} to the member; completes with
	 * whether every one of them was found.
	 */
	Mono<Boolean> replay(Membership member, long after, long upTo) {
		if (after >= upTo || member.connection().isClosing()) {
			return Mono.just(true);
		}
		return member.connection()
			.outbound()
			.whenHalfEmpty()
			.then(Mono.defer(() -> this.store.read(member.room(), after, upTo, this.pageSize).collectList()))
			.flatMap(page -> {
				if (!isContiguous(page, after)) {
					return Mono.just(false);
				}
				// Only what fits: a page of large events could overflow the queue and close the member
				// as a slow consumer, and its next join would replay into the same wall. The rest is
				// read again once the queue has drained.
				int fitting = member.connection().outbound().halfRoomFor(page.stream().map(RoomEvent::wire).toList());
				List<RoomEvent> sent = page.subList(0, fitting);
				sent.forEach(member::replay);
				this.replayedEvents.addAndGet(sent.size());
				return replay(member, sent.get(sent.size() - 1).seq(), upTo);
			});
	}

	private static boolean isContiguous(List<RoomEvent> page, long after) {
		long expected = after + 1;
		for (RoomEvent event : page) {
			if (event.seq() != expected) {
				return false;
			}
			expected++;
		}
		return !page.isEmpty();
	}

}
