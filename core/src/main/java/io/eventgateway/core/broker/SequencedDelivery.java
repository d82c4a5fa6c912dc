package io.eventgateway.core.broker;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

import io.eventgateway.core.event.RoomEvent;
import io.eventgateway.core.store.EventStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

/**
 * Puts the durable events of each room that arrive at this instance, from any path and in any
 * order, back into {@code seq} order before they reach the members: duplicates are dropped, and a
 * gap (a message the broker lost, or one that overtook another) is filled from the store. Volatile
 * events pass straight through.
 *
 * <p>A room is tracked from the store position read after the broker confirmed the subscription,
 * so every later event either arrives from the broker or is found in the store.
 */
public final class SequencedDelivery implements EventDelivery {

	private static final Logger logger = LoggerFactory.getLogger(SequencedDelivery.class);

	private final EventDelivery members;

	private final EventStore store;

	private final int maxFill;

	private final Map<String, RoomState> rooms = new ConcurrentHashMap<>();

	private static final Duration RETRY_DELAY = Duration.ofSeconds(1);

	/**
	 * @param members where ordered events go (the room registry)
	 * @param maxFill most events read from the store for one gap at a time
	 */
	public SequencedDelivery(EventDelivery members, EventStore store, int maxFill) {
		this.members = members;
		this.store = store;
		this.maxFill = maxFill;
	}

	/** Starts tracking a room from its current stored position. */
	public Mono<Void> track(String room) {
		return this.store.position(room)
			.doOnNext(position -> this.rooms.putIfAbsent(room, new RoomState(room, position.seq())))
			.then();
	}

	public void forget(String room) {
		this.rooms.remove(room);
	}

	public int trackedRooms() {
		return this.rooms.size();
	}

	@Override
	public void deliver(RoomEvent event) {
		RoomState state = event.isDurable() ? this.rooms.get(event.room()) : null;
		if (state == null) {
			// Volatile, or a room whose tracking is starting: members filter by seq themselves.
			this.members.deliver(event);
			return;
		}
		state.accept(event);
	}

	/** Brings every tracked room up to the store's newest seq: after the broker was away. */
	public Mono<Void> catchUpAll() {
		return Mono.when(this.rooms.values().stream().map(RoomState::catchUp).toList());
	}

	private final class RoomState {

		private final String room;

		private final TreeMap<Long, RoomEvent> waiting = new TreeMap<>();

		private long last;

		private boolean filling;

		RoomState(String room, long last) {
			this.room = room;
			this.last = last;
		}

		synchronized void accept(RoomEvent event) {
			if (event.seq() <= this.last) {
				return;
			}
			this.waiting.put(event.seq(), event);
			if (!this.filling) {
				deliverReady();
				fillGapIfAny(this.waiting.isEmpty() ? this.last : this.waiting.firstKey() - 1);
			}
		}

		Mono<Void> catchUp() {
			return SequencedDelivery.this.store.position(this.room).doOnNext(position -> {
				synchronized (this) {
					if (!this.filling && position.seq() > this.last) {
						fillGapIfAny(position.seq());
					}
				}
			}).then().onErrorResume(error -> {
				logger.warn("catching up room {} failed: {}", this.room, error.getMessage());
				return Mono.empty();
			});
		}

		// Called with the lock held.
		private void deliverReady() {
			while (!this.waiting.isEmpty() && this.waiting.firstKey() == this.last + 1) {
				RoomEvent next = this.waiting.pollFirstEntry().getValue();
				this.last = next.seq();
				SequencedDelivery.this.members.deliver(next);
			}
		}

		// Called with the lock held: reads (last, upTo] from the store, one fill at a time.
		private void fillGapIfAny(long upTo) {
			if (upTo <= this.last) {
				return;
			}
			this.filling = true;
			long from = this.last;
			int limit = (int) Math.min(upTo - from, SequencedDelivery.this.maxFill);
			SequencedDelivery.this.store.read(this.room, from, upTo, limit)
				.collectList()
				.subscribe(this::filled, error -> {
					// The store is unreachable: the events exist, so wait and try again rather than skip them.
					logger.warn("filling seq gap {}..{} of room {} failed, retrying: {}", from + 1, upTo, this.room,
							error.getMessage());
					Mono.delay(RETRY_DELAY).subscribe(tick -> retryFill(upTo));
				});
		}

		private synchronized void retryFill(long upTo) {
			this.filling = false;
			fillGapIfAny(Math.max(upTo, this.waiting.isEmpty() ? upTo : this.waiting.firstKey() - 1));
		}

		private synchronized void filled(List<RoomEvent> events) {
			List<RoomEvent> found = new ArrayList<>(events);
			for (RoomEvent event : found) {
				if (event.seq() == this.last + 1) {
					this.waiting.remove(event.seq());
					this.last = event.seq();
					SequencedDelivery.this.members.deliver(event);
				}
			}
			this.filling = false;
			if (found.isEmpty() && !this.waiting.isEmpty() && this.waiting.firstKey() > this.last + 1) {
				// The store no longer has the gap (pruned): move on rather than stall.
				logger.warn("seq {}..{} of room {} cannot be recovered; members must reload", this.last + 1,
						this.waiting.firstKey() - 1, this.room);
				this.last = this.waiting.firstKey() - 1;
			}
			deliverReady();
			if (!this.waiting.isEmpty()) {
				fillGapIfAny(this.waiting.firstKey() - 1);
			}
		}

	}

}
