package io.eventgateway.gateway.websocket;

import java.time.Duration;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.netty.channel.EventLoop;

/**
 * Gathers the writes of many connections into one flush tick per event loop. A socket write costs
 * about the same whether it carries one event or twenty, so a connection that received events
 * since the last tick writes them all at once: writes per second follow the tick rate, not the
 * event rate. A connection that has not written for a whole tick writes at once instead: sparse
 * traffic pays no delay, and busy connections, which wrote at the last tick, still share ticks.
 * With no delay, writes go to the event loop at once.
 */
public final class WriteCoalescer {

	private final long delayNanos;

	private final Map<EventLoop, Tick> ticks = new ConcurrentHashMap<>();

	public WriteCoalescer(Duration delay) {
		this.delayNanos = delay.toNanos();
	}

	/** The executor for the writes of one connection served by {@code loop}. */
	public Executor writerFor(EventLoop loop) {
		if (this.delayNanos <= 0) {
			return loop;
		}
		return new ConnectionWriter(loop, this.ticks.computeIfAbsent(loop, Tick::new));
	}

	/**
	 * One connection's choice between writing at once and waiting for the tick. Once a task waits
	 * for the tick, the connection's next tasks wait too, so they run in the order given.
	 */
	private final class ConnectionWriter implements Executor {

		private final EventLoop loop;

		private final Tick tick;

		private final AtomicInteger waitingForTick = new AtomicInteger();

		private volatile long lastRunNanos = System.nanoTime() - WriteCoalescer.this.delayNanos;

		ConnectionWriter(EventLoop loop, Tick tick) {
			this.loop = loop;
			this.tick = tick;
		}

		@Override
		public void execute(Runnable task) {
			long now = System.nanoTime();
			if (this.waitingForTick.get() == 0 && now - this.lastRunNanos >= WriteCoalescer.this.delayNanos) {
				this.loop.execute(() -> run(task));
				return;
			}
			this.waitingForTick.incrementAndGet();
			this.tick.execute(() -> {
				this.waitingForTick.decrementAndGet();
				run(task);
			});
		}

		private void run(Runnable task) {
			this.lastRunNanos = System.nanoTime();
			task.run();
		}

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
