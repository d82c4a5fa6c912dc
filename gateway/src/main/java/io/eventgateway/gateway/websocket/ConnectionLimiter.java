package io.eventgateway.gateway.websocket;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Counts connections in total and per client address, and admits a new one only below both limits
 * and while the gateway is not draining. A slot is taken at the handshake and given back once.
 */
public final class ConnectionLimiter {

	/** Why a handshake was refused, or {@code null} for an admission. */
	public enum Refusal {

		/** The instance holds its maximum (503). */
		FULL,

		/** The client address holds its maximum (429). */
		ADDRESS_LIMIT,

		/** The instance is shutting down (503). */
		DRAINING

	}

	/** A taken slot; releasing it twice releases it once. */
	public final class Slot {

		private final String address;

		private final AtomicBoolean released = new AtomicBoolean();

		private Slot(String address) {
			this.address = address;
		}

		public void release() {
			if (this.released.compareAndSet(false, true)) {
				ConnectionLimiter.this.total.decrementAndGet();
				ConnectionLimiter.this.perAddress.computeIfPresent(this.address,
						(key, count) -> count.decrementAndGet() == 0 ? null : count);
			}
		}

	}

	/** The outcome of {@link #tryAcquire}: a slot or a refusal. */
	public record Admission(Slot slot, Refusal refusal) {
	}

	private final int maxTotal;

	private final int maxPerAddress;

	private final AtomicInteger total = new AtomicInteger();

	private final Map<String, AtomicInteger> perAddress = new ConcurrentHashMap<>();

	private volatile boolean draining;

	public ConnectionLimiter(int maxTotal, int maxPerAddress) {
		this.maxTotal = maxTotal;
		this.maxPerAddress = maxPerAddress;
	}

	public Admission tryAcquire(String address) {
		if (this.draining) {
			return new Admission(null, Refusal.DRAINING);
		}
		if (this.total.incrementAndGet() > this.maxTotal) {
			this.total.decrementAndGet();
			return new Admission(null, Refusal.FULL);
		}
		boolean[] admitted = new boolean[1];
		this.perAddress.compute(address, (key, count) -> {
			AtomicInteger current = (count == null) ? new AtomicInteger() : count;
			admitted[0] = current.get() < this.maxPerAddress;
			if (admitted[0]) {
				current.incrementAndGet();
			}
			return current.get() == 0 ? null : current;
		});
		if (!admitted[0]) {
			this.total.decrementAndGet();
			return new Admission(null, Refusal.ADDRESS_LIMIT);
		}
		return new Admission(new Slot(address), null);
	}

	public int total() {
		return this.total.get();
	}

	/** From now on every handshake is refused. */
	public void startDraining() {
		this.draining = true;
	}

}
