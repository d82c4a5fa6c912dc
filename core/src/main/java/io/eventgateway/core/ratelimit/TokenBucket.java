package io.eventgateway.core.ratelimit;

import java.util.function.LongSupplier;

/**
 * A token bucket for one owner (a connection): {@code ratePerSecond} tokens are added each second up
 * to {@code burst}. Not thread-safe; each connection handles its requests one at a time.
 */
public final class TokenBucket {

	private final double ratePerNano;

	private final double burst;

	private final LongSupplier nanoClock;

	private double tokens;

	private long refilledAt;

	public TokenBucket(double ratePerSecond, int burst, LongSupplier nanoClock) {
		if (ratePerSecond <= 0 || burst <= 0) {
			throw new IllegalArgumentException("rate and burst must be positive, got " + ratePerSecond + " and " + burst);
		}
		this.ratePerNano = ratePerSecond / 1_000_000_000d;
		this.burst = burst;
		this.nanoClock = nanoClock;
		this.tokens = burst;
		this.refilledAt = nanoClock.getAsLong();
	}

	public boolean tryTake() {
		refill();
		if (this.tokens >= 1) {
			this.tokens -= 1;
			return true;
		}
		return false;
	}

	/** How long until a token is there again: what a refusal's {@code Retry-After} says. */
	public long nanosUntilNext() {
		refill();
		return (this.tokens >= 1) ? 0 : (long) Math.ceil((1 - this.tokens) / this.ratePerNano);
	}

	private void refill() {
		long now = this.nanoClock.getAsLong();
		this.tokens = Math.min(this.burst, this.tokens + (now - this.refilledAt) * this.ratePerNano);
		this.refilledAt = now;
	}

}
