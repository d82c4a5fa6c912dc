package io.eventgateway.core.broker;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import io.eventgateway.core.event.RoomEvent;
import io.eventgateway.core.store.EventStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Puts the durable events of each room that arrive at this instance, from any path and in any
 * order, back into {@code seq} order before they reach the members: duplicates are dropped, and a
 * gap (a message the broker lost, or one that overtook another) is filled from the store. Volatile
 * events pass straight through.
 *
 * <p>A room is tracked from before its broker subscription is requested ({@link #begin}): what
 * arrives meanwhile waits. Once the broker confirmed the subscription, the room's stored position is
 * read ({@link #track}), and every later event either arrives from the broker or is found in the
 * store. Durable events of a room that is not tracked are not delivered: this instance has no
 * subscription for it, so no member can be waiting for them.
 */
public final class SequencedDelivery implements EventDelivery {

	private static final Logger logger = LoggerFactory.getLogger(SequencedDelivery.class);

	private final EventDelivery members;

	private final EventStore store;

	private final int maxFill;

	private final Map<String, RoomState> rooms = new ConcurrentHashMap<>();

	private final AtomicLong gapFills = new AtomicLong();

	private final AtomicLong catchUpReads = new AtomicLong();

	private static final Duration RETRY_DELAY = Duration.ofSeconds(1);

	/** Rooms whose newest seq one catch-up call reads. */
	static final int CATCH_UP_BATCH = 100;

	/** The position of a room whose subscription is not confirmed yet. */
	private static final long UNKNOWN = -1;

	/**
	 * @param members where ordered events go (the room registry)
	 * @param maxFill most events read from the store for one gap at a time
	 */
	public SequencedDelivery(EventDelivery members, EventStore store, int maxFill) {
		this.members = members;
		this.store = store;
		this.maxFill = maxFill;
	}

	/** Starts holding the room's events, before its subscription is requested. */
	public void begin(String room) {
		this.rooms.putIfAbsent(room, new RoomState(room));
	}

	/** Delivers the room's events from its current stored position on: its subscription is active. */
	public Mono<Void> track(String room) {
		return this.store.position(room).doOnNext(position -> {
			RoomState state = this.rooms.get(room);
			if (state != null) {
				state.start(position.seq());
			}
		}).then();
	}

	/** Stops tracking the room: its subscription ended (or could not be made). */
	public void forget(String room) {
		RoomState state = this.rooms.remove(room);
		if (state != null) {
			state.forget();
		}
	}

	public int trackedRooms() {
		return this.rooms.size();
	}

	/** Store reads made to fill a gap in a room's {@code seq} so far. */
	public long gapFills() {
		return this.gapFills.get();
	}

	/** Store calls made by catch-ups so far, each asking up to {@value #CATCH_UP_BATCH} rooms for their newest seq. */
	public long catchUpReads() {
		return this.catchUpReads.get();
	}

	/** The rooms tracked now, subscribed or about to be. */
	public Set<String> trackedRoomNames() {
		return Set.copyOf(this.rooms.keySet());
	}

	@Override
	public void deliver(RoomEvent event) {
		if (!event.isDurable()) {
			this.members.deliver(event);
			return;
		}
		RoomState state = this.rooms.get(event.room());
		if (state != null) {
			state.accept(event);
		}
	}

	/**
	 * Brings every tracked room up to the store's newest seq: after the broker was away, and as a
	 * safety net. The rooms are asked for {@value #CATCH_UP_BATCH} at a time in one store call, one
	 * call after another, so a sweep of many rooms is a bounded trickle of reads rather than a read
	 * per room at once; only rooms found behind read their events.
	 */
	public Mono<Void> catchUpAll() {
		return Flux.fromIterable(List.copyOf(this.rooms.keySet()))
			.buffer(CATCH_UP_BATCH)
			.concatMap(batch -> this.store.newestSeqs(batch).doOnSubscribe(read -> this.catchUpReads.incrementAndGet())
				.doOnNext(this::catchUp).onErrorResume(error -> {
				logger.warn("catching up {} rooms failed: {}", batch.size(), error.getMessage());
				return Mono.empty();
			}))
			.then();
	}

	private void catchUp(Map<String, Long> newestSeqs) {
		newestSeqs.forEach((room, newest) -> {
			RoomState state = this.rooms.get(room);
			if (state != null) {
				state.catchUpTo(newest);
			}
		});
	}

	private final class RoomState {

		private final String room;

		private final TreeMap<Long, RoomEvent> waiting = new TreeMap<>();

		private long last = UNKNOWN;

		private boolean filling;

		/** A fill still running when the room was forgotten must not reach a later subscription's members. */
		private boolean forgotten;

		RoomState(String room) {
			this.room = room;
		}

		synchronized void forget() {
			this.forgotten = true;
			this.waiting.clear();
		}

		synchronized void start(long position) {
			if (this.last != UNKNOWN) {
				return;
			}
			this.last = position;
			this.waiting.headMap(position, true).clear();
			deliverReady();
			fillGapIfAny(this.waiting.isEmpty() ? this.last : this.waiting.firstKey() - 1);
		}

		synchronized void accept(RoomEvent event) {
			if (this.forgotten || event.seq() <= this.last) {
				return;
			}
			this.waiting.put(event.seq(), event);
			if (this.last == UNKNOWN) {
				if (this.waiting.size() > SequencedDelivery.this.maxFill) {
					// The oldest waiting event is filled from the store later, if it is still needed.
					this.waiting.pollFirstEntry();
				}
				return;
			}
			if (!this.filling) {
				deliverReady();
				fillGapIfAny(this.waiting.isEmpty() ? this.last : this.waiting.firstKey() - 1);
			}
		}

		synchronized void catchUpTo(long newest) {
			if (this.last != UNKNOWN && !this.filling && newest > this.last) {
				fillGapIfAny(newest);
			}
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
			SequencedDelivery.this.gapFills.incrementAndGet();
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
			if (this.forgotten) {
				return;
			}
			fillGapIfAny(Math.max(upTo, this.waiting.isEmpty() ? upTo : this.waiting.firstKey() - 1));
		}

		private synchronized void filled(List<RoomEvent> events) {
			if (this.forgotten) {
				return;
			}
			this.filling = false;
			// The store no longer has the start of the gap (pruned): move on to what it still has, or
			// to what waits, rather than read the gap again.
			long oldestLeft = !events.isEmpty() ? events.get(0).seq()
					: this.waiting.isEmpty() ? this.last + 1 : this.waiting.firstKey();
			if (oldestLeft > this.last + 1) {
				logger.warn("seq {}..{} of room {} cannot be recovered; members must reload", this.last + 1,
						oldestLeft - 1, this.room);
				this.last = oldestLeft - 1;
			}
			for (RoomEvent event : events) {
				if (event.seq() == this.last + 1) {
					this.waiting.remove(event.seq());
					this.last = event.seq();
					SequencedDelivery.this.members.deliver(event);
				}
			}
			deliverReady();
			if (!this.waiting.isEmpty()) {
				fillGapIfAny(this.waiting.firstKey() - 1);
			}
		}

	}

}
