package io.eventgateway.gateway.websocket;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Counts connections in total, per client address and per user, and admits a new one only below
 * all three limits and while the gateway is not draining. A slot is taken at the handshake and given back once.
 */
public final class ConnectionLimiter {

	/** Why a handshake was refused, or {@code null} for an admission. */
	public enum Refusal {

		/** The instance holds its maximum (503). */
		FULL,

		/** The client address holds its maximum (429). */
		ADDRESS_LIMIT,

		/** The user (the token's {@code sub}) holds its maximum (429). */
		USER_LIMIT,

		/** The instance is shutting down (503). */
		DRAINING

	}

	/** A taken slot; releasing it twice releases it once. */
	public final class Slot {

		private final String address;

		private final String user;

		private final AtomicBoolean released = new AtomicBoolean();

		private Slot(String address, String user) {
			this.address = address;
			this.user = user;
		}

		public void release() {
			if (this.released.compareAndSet(false, true)) {
				ConnectionLimiter.this.total.decrementAndGet();
				giveBack(ConnectionLimiter.this.perAddress, this.address);
				giveBack(ConnectionLimiter.this.perUser, this.user);
			}
		}

	}

	/** The outcome of {@link #tryAcquire}: a slot or a refusal. */
	public record Admission(Slot slot, Refusal refusal) {
	}

	private final int maxTotal;

	private final int maxPerAddress;

	private final int maxPerUser;

	private final AtomicInteger total = new AtomicInteger();

	private final Map<String, AtomicInteger> perAddress = new ConcurrentHashMap<>();

	private final Map<String, AtomicInteger> perUser = new ConcurrentHashMap<>();

	private volatile boolean draining;

	public ConnectionLimiter(int maxTotal, int maxPerAddress, int maxPerUser) {
		this.maxTotal = maxTotal;
		this.maxPerAddress = maxPerAddress;
		this.maxPerUser = maxPerUser;
	}

	public Admission tryAcquire(String address, String user) {
		if (this.draining) {
			return new Admission(null, Refusal.DRAINING);
		}
		if (this.total.incrementAndGet() > this.maxTotal) {
			this.total.decrementAndGet();
			return new Admission(null, Refusal.FULL);
		}
		if (!take(this.perAddress, address, this.maxPerAddress)) {
			this.total.decrementAndGet();
			return new Admission(null, Refusal.ADDRESS_LIMIT);
		}
		if (!take(this.perUser, user, this.maxPerUser)) {
			giveBack(this.perAddress, address);
			this.total.decrementAndGet();
			return new Admission(null, Refusal.USER_LIMIT);
		}
		return new Admission(new Slot(address, user), null);
	}

	private static boolean take(Map<String, AtomicInteger> counts, String key, int max) {
		boolean[] taken = new boolean[1];
		counts.compute(key, (ignored, count) -> {
			AtomicInteger current = (count == null) ? new AtomicInteger() : count;
			taken[0] = current.get() < max;
			if (taken[0]) {
				current.incrementAndGet();
			}
			return current.get() == 0 ? null : current;
		});
		return taken[0];
	}

	private static void giveBack(Map<String, AtomicInteger> counts, String key) {
		counts.computeIfPresent(key, (ignored, count) -> count.decrementAndGet() == 0 ? null : count);
	}

	public int total() {
		return this.total.get();
	}

	/** From now on every handshake is refused. */
	public void startDraining() {
		this.draining = true;
	}

	/** Admits handshakes again: the gateway was stopped and started again without closing. */
	public void stopDraining() {
		this.draining = false;
	}

}
