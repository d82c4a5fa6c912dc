package io.eventgateway.loadtest.scenario;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

import io.eventgateway.loadtest.measure.Monitor;
import io.eventgateway.loadtest.measure.WindowResult;

/** The run's own thread: a tick each second, and waits that always end. */
final class RunLoop {

	private static final long POLL_MILLIS = 50;

	private RunLoop() {
	}

	/**
	 * Ticks the monitor each second from {@code startNanos} for the warm-up (not reported), then for
	 * the measured duration, and answers the measured window.
	 */
	static WindowResult warmupThenMeasure(Monitor monitor, long startNanos, Duration warmup, Duration duration,
			LongSupplier connections) throws InterruptedException {
		long measureFrom = startNanos + warmup.toNanos();
		long end = measureFrom + duration.toNanos();
		Monitor.Window measured = null;
		while (true) {
			long now = System.nanoTime();
			if (measured == null && now >= measureFrom) {
				measured = monitor.openWindow("measure");
			}
			if (now >= end) {
				return monitor.close(measured);
			}
			long next = Math.min(now + 1_000_000_000L, measured == null ? measureFrom : end);
			Thread.sleep(Math.max(1, (next - now) / 1_000_000));
			if (System.nanoTime() - now >= 500_000_000L) {
				monitor.tick(measured == null ? "warmup" : "measure", connections.getAsLong());
			}
		}
	}

	/** Ticks the monitor each second for the given time. */
	static void hold(Monitor monitor, String phase, Duration duration, LongSupplier connections) throws InterruptedException {
		long end = System.nanoTime() + duration.toNanos();
		while (System.nanoTime() < end) {
			Thread.sleep(Math.max(1, Math.min(1000, (end - System.nanoTime()) / 1_000_000)));
			monitor.tick(phase, connections.getAsLong());
		}
	}

	/** Waits until the condition holds or the time is up; answers whether it holds. */
	static boolean until(BooleanSupplier condition, Duration limit) throws InterruptedException {
		long deadline = System.nanoTime() + limit.toNanos();
		while (!condition.getAsBoolean()) {
			if (System.nanoTime() >= deadline) {
				return false;
			}
			Thread.sleep(POLL_MILLIS);
		}
		return true;
	}

	/** Like {@link #until(BooleanSupplier, Duration)}, ticking the monitor each second meanwhile. */
	static boolean until(BooleanSupplier condition, Duration limit, Monitor monitor, String phase, LongSupplier connections)
			throws InterruptedException {
		long deadline = System.nanoTime() + limit.toNanos();
		long nextTick = System.nanoTime() + 1_000_000_000L;
		while (!condition.getAsBoolean()) {
			long now = System.nanoTime();
			if (now >= deadline) {
				return false;
			}
			if (now >= nextTick) {
				monitor.tick(phase, connections.getAsLong());
				nextTick += 1_000_000_000L;
			}
			Thread.sleep(POLL_MILLIS);
		}
		return true;
	}

}
