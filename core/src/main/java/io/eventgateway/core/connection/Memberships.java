package io.eventgateway.core.connection;

import io.eventgateway.core.room.Presence;
import io.eventgateway.core.room.RoomInterest;
import io.eventgateway.core.store.RoomPosition;
import io.eventgateway.core.store.RoomPositions;
import reactor.core.publisher.Mono;

/**
 * Joins and leaves of connections. A join registers the member first, waits until the room's events
 * reach this instance, then reads the room's position: an event stored after that read reaches the
 * member live (held back until the {@code joined} reply), one stored before it is in the replay or
 * behind the position, and {@code seq} filters the overlap.
 */
public final class Memberships {

	/** Encodes the {@code joined} reply of one join request. */
	@FunctionalInterface
	public interface JoinedReply {

		/** @param recovered {@code null} for a join without {@code since} */
		byte[] encode(RoomPosition position, Boolean recovered);

	}

	private final RoomInterest interest;

	private final Presence presence;

	private final RoomPositions positions;

	private final Recovery recovery;

	private final int maxHeldBack;

	private final Runnable onVolatileDrop;

	/**
	 * @param positions where a joined room stands (the store, or what a single instance's broker knows)
	 * @param maxHeldBack live events held back per room while its join is in progress
	 * @param onVolatileDrop told when a volatile event did not fit a connection's queue
	 */
	public Memberships(RoomInterest interest, Presence presence, RoomPositions positions, Recovery recovery,
			int maxHeldBack, Runnable onVolatileDrop) {
		this.interest = interest;
		this.presence = presence;
		this.positions = positions;
		this.recovery = recovery;
		this.maxHeldBack = maxHeldBack;
		this.onVolatileDrop = onVolatileDrop;
	}

	/**
	 * Joins the room, replaying what the member missed after {@code since} (when given); completes
	 * once the {@code joined} reply is queued. Fails, with the membership undone, when the store or
	 * the broker cannot serve the join.
	 */
	public Mono<Void> join(Connection connection, String room, Long since, String epoch, JoinedReply reply) {
		Membership existing = connection.membership(room);
		if (existing != null) {
			// Joining again is harmless: the reply tells where the membership stands.
			return this.positions.position(room)
				.doOnNext(position -> connection.send(reply.encode(
						new RoomPosition(existing.lastSeq(), position.epoch(), position.prunedThrough()), null)))
				.then();
		}
		Membership member = new Membership(room, connection, this.maxHeldBack, this.onVolatileDrop);
		connection.add(member);
		// The member is in the registry once join() returns; presence reads it from there.
		Mono<Void> subscribed = this.interest.join(room, member);
		this.presence.joined(room, member.user());
		return subscribed.then(Mono.defer(() -> this.positions.position(room)))
			.flatMap(position -> complete(member, since, epoch, position, reply))
			.onErrorResume(error -> {
				remove(member);
				return Mono.error(error);
			});
	}

	private Mono<Void> complete(Membership member, Long since, String epoch, RoomPosition position,
			JoinedReply reply) {
		if (since == null) {
			member.completeJoin(position.seq(), reply.encode(position, null));
			return Mono.empty();
		}
		if (!this.recovery.canRecover(position, since, epoch)) {
			member.completeJoin(position.seq(), reply.encode(position, false));
			return Mono.empty();
		}
		return this.recovery.replay(member, since, position.seq())
			.doOnNext(whole -> member.completeJoin(position.seq(), reply.encode(position, whole)))
			.then();
	}

	/** Leaves the room; {@code false} when the connection was not a member. */
	public boolean leave(Connection connection, String room) {
		Membership member = connection.membership(room);
		return member != null && remove(member);
	}

	/** Ends every membership of a connection that is gone. */
	public void leaveAll(Connection connection) {
		connection.memberships().forEach(this::remove);
	}

	private boolean remove(Membership member) {
		if (!member.connection().remove(member)) {
			return false;
		}
		this.interest.leave(member.room(), member);
		this.presence.left(member.room(), member.user());
		return true;
	}

}
