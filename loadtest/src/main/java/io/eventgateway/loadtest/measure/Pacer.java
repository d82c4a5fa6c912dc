package io.eventgateway.loadtest.measure;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A fixed timetable of operations (open model): operation n is due at {@code start + n / rate},
 * whatever happened to the ones before, and its latency is measured from that time. A slow server
 * then shows up as latency instead of hiding behind a generator that waited for it (coordinated
 * omission).
 */
public final class Pacer implements AutoCloseable {

	/** What to do with due operations; called on the pacer's one thread. */
	public interface Work {

		void due(long n, long intendedNanos);

		/** After the operations due in one tick: a chance to send what was batched. */
		default void endOfTick() {
		}

	}

	private static final long TICK_MICROS = 1_000;

	private final double perSecond;

	private final long startNanos;

	private final long endNanos;

	private final ScheduledExecutorService ticker;

	private volatile long issued;

	private Pacer(double perSecond, long startNanos, long endNanos, String name) {
		if (perSecond <= 0) {
			throw new IllegalArgumentException("rate must be positive, got " + perSecond);
		}
		this.perSecond = perSecond;
		this.startNanos = startNanos;
		this.endNanos = endNanos;
		this.ticker = Executors.newSingleThreadScheduledExecutor(task -> {
			Thread thread = new Thread(task, name);
			thread.setDaemon(true);
			return thread;
		});
	}

	/** Runs {@code work} for every operation due from {@code startNanos} until {@code endNanos}. */
	public static Pacer start(String name, double perSecond, long startNanos, long endNanos, Work work) {
		Pacer pacer = new Pacer(perSecond, startNanos, endNanos, name);
		pacer.ticker.scheduleAtFixedRate(() -> pacer.tick(work), 0, TICK_MICROS, TimeUnit.MICROSECONDS);
		return pacer;
	}

	/**
	 * How many operations are due {@code elapsedNanos} after the start: those whose offset (see
	 * {@link #offsetNanos}) is before it, counted the same way so rounding never skips or repeats one.
	 */
	static long dueBy(long elapsedNanos, double perSecond) {
		if (elapsedNanos <= 0) {
			return 0;
		}
		long due = (long) Math.ceil(elapsedNanos / 1e9 * perSecond);
		while (due > 0 && offsetNanos(due - 1, perSecond) >= elapsedNanos) {
			due--;
		}
		while (offsetNanos(due, perSecond) < elapsedNanos) {
			due++;
		}
		return due;
	}

	static long offsetNanos(long n, double perSecond) {
		return (long) (n * 1e9 / perSecond);
	}

	/** When operation n is due. */
	public long intendedNanos(long n) {
		return this.startNanos + offsetNanos(n, this.perSecond);
	}

	public long issued() {
		return this.issued;
	}

	public boolean finished() {
		return System.nanoTime() >= this.endNanos;
	}

	private void tick(Work work) {
		long now = Math.min(System.nanoTime(), this.endNanos);
		long target = dueBy(now - this.startNanos, this.perSecond);
		long n = this.issued;
		while (n < target) {
			work.due(n, intendedNanos(n));
			n++;
		}
		this.issued = n;
		work.endOfTick();
	}

	/** Stops issuing; operations already issued go on. */
	@Override
	public void close() {
		this.ticker.shutdown();
		try {
			this.ticker.awaitTermination(5, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
