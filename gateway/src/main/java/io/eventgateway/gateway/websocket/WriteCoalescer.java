package io.eventgateway.gateway.websocket;

import java.time.Duration;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

import io.netty.channel.EventLoop;

/**
 * Gathers the writes of many connections into one flush tick per event loop. A socket write costs
 * about the same whether it carries one event or twenty, so a connection that received events
 * since the last tick writes them all at once: writes per second follow the tick rate, not the
 * event rate, and latency grows by at most one tick. With no delay, writes go to the event loop at
 * once.
 */
public final class WriteCoalescer {

	private final long delayNanos;

	private final Map<EventLoop, Tick> ticks = new ConcurrentHashMap<>();

	public WriteCoalescer(Duration delay) {
		this.delayNanos = delay.toNanos();
	}

	/** The executor for writes of a connection served by {@code loop}. */
	public Executor writerFor(EventLoop loop) {
		if (this.delayNanos <= 0) {
			return loop;
		}
		return this.ticks.computeIfAbsent(loop, Tick::new);
	}

	private final class Tick implements Executor {

		private final Queue<Runnable> pending = new ConcurrentLinkedQueue<>();

		Tick(EventLoop loop) {
			loop.scheduleAtFixedRate(this::run, WriteCoalescer.this.delayNanos, WriteCoalescer.this.delayNanos,
					TimeUnit.NANOSECONDS);
		}

		@Override
		public void execute(Runnable write) {
			this.pending.offer(write);
		}

		// Runs on the event loop; only the writes queued before it started, so a busy tick ends.
		private void run() {
			for (int i = this.pending.size(); i > 0; i--) {
				Runnable write = this.pending.poll();
				if (write == null) {
					return;
				}
				write.run();
			}
		}

	}

}
