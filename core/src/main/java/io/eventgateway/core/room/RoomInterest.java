package io.eventgateway.core.room;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.eventgateway.core.broker.Broker;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * This instance's interest in rooms: the local members of each room and the broker subscription
 * that brings the room's events here. The broker is subscribed when a room gets its first local
 * member and unsubscribed after the last one left, one broker call at a time per room, each after
 * the previous one finished:
 * <ul>
 * <li>every joiner of a room waits for the one subscribe in flight, so none is told it joined
 * before the room's events reach this instance;</li>
 * <li>a failed subscribe fails every joiner that waited for it (each undoes its membership), and the
 * next joiner tries again;</li>
 * <li>an unsubscribe runs only once no member remains, and never while a subscribe is in flight.</li>
 * </ul>
 * A member receives the room's events from the moment it is added, including while it waits.
 */
public final class RoomInterest {

	private static final Logger logger = LoggerFactory.getLogger(RoomInterest.class);

	private final RoomRegistry registry;

	private final Broker broker;

	private final Map<String, Interest> rooms = new ConcurrentHashMap<>();

	public RoomInterest(RoomRegistry registry, Broker broker) {
		this.registry = registry;
		this.broker = broker;
	}

	/**
	 * Adds a local member; completes once the broker brings the room's events to this instance, or
	 * fails, with the member removed again, when the subscription could not be made.
	 */
	public Mono<Void> join(String room, RoomMember member) {
		while (true) {
			Interest interest = this.rooms.computeIfAbsent(room, Interest::new);
			Mono<Void> subscribed = interest.add(member);
			if (subscribed != null) {
				return subscribed.onErrorResume(error -> {
					interest.remove(member);
					return Mono.error(error);
				});
			}
			// That interest was just retired (its last unsubscribe finished): use a fresh one.
		}
	}

	/** Removes a local member; the room's subscription ends with its last member. */
	public void leave(String room, RoomMember member) {
		Interest interest = this.rooms.get(room);
		if (interest != null) {
			interest.remove(member);
		}
	}

	/** Rooms with local members or a broker call still in flight. */
	public int roomCount() {
		return this.rooms.size();
	}

	/** Whether this instance holds (or is making) the room's broker subscription. */
	public boolean isInterested(String room) {
		Interest interest = this.rooms.get(room);
		return interest != null && interest.isInterested();
	}

	private final class Interest {

		private final String room;

		/** Completes when the current subscription is active; {@code null} while not subscribed. */
		private Mono<Void> subscribed;

		/** The last broker call; the next one starts after it. */
		private Mono<Void> previous = Mono.empty();

		private boolean retired;

		Interest(String room) {
			this.room = room;
		}

		/** Returns what the member waits for, or {@code null} when this interest is retired. */
		Mono<Void> add(RoomMember member) {
			Mono<Void> after;
			Mono<Void> current;
			Sinks.Empty<Void> done;
			synchronized (this) {
				if (this.retired) {
					return null;
				}
				RoomInterest.this.registry.add(this.room, member);
				if (this.subscribed != null) {
					return this.subscribed;
				}
				done = Sinks.empty();
				current = done.asMono();
				this.subscribed = current;
				after = this.previous;
			}
			after.then(RoomInterest.this.broker.subscribe(this.room)).subscribe(null, error -> {
				synchronized (this) {
					if (this.subscribed == current) {
						this.subscribed = null;
					}
				}
				// Ignore result: the sink is emitted once, here.
				done.tryEmitError(error);
			}, () -> done.tryEmitEmpty());
			return current;
		}

		void remove(RoomMember member) {
			Mono<Void> unsubscribed;
			synchronized (this) {
				// Every add and remove of the room's members happens here, under this lock.
				if (!RoomInterest.this.registry.remove(this.room, member) || hasMembers()) {
					return;
				}
				// After the subscribe in flight, if any; a failed one may still have reached the broker.
				Mono<Void> after = (this.subscribed != null) ? this.subscribed : this.previous;
				this.subscribed = null;
				unsubscribed = after.onErrorResume(error -> Mono.empty())
					.then(RoomInterest.this.broker.unsubscribe(this.room))
					.onErrorResume(error -> {
						logger.warn("unsubscribe from {} failed: {}", this.room, error.getMessage());
						return Mono.empty();
					})
					.cache();
				this.previous = unsubscribed;
			}
			unsubscribed.subscribe(null, null, () -> retireIfUnused(unsubscribed));
		}

		private void retireIfUnused(Mono<Void> unsubscribed) {
			synchronized (this) {
				if (hasMembers() || this.subscribed != null || this.previous != unsubscribed) {
					return;
				}
				this.retired = true;
			}
			RoomInterest.this.rooms.remove(this.room, this);
		}

		synchronized boolean isInterested() {
			return this.subscribed != null;
		}

		private boolean hasMembers() {
			return RoomInterest.this.registry.memberCount(this.room) > 0;
		}

	}

}
