package io.eventgateway.core.taskfile;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.FluxSink;
import reactor.core.scheduler.Scheduler;

/**
 * Turns a stream of file changes into files that have stopped changing: a file is let through once
 * it has not changed for the stability threshold, and only when downstream asks for one, so a file
 * that keeps changing while earlier ones are applied coalesces into one (latest wins). At most
 * {@code maxPending} files wait; past that, what waits is forgotten and one {@link #RESCAN} is let
 * through instead, which stands for every file.
 */
public final class StableFiles {

	/** Stands for "look at every file again": changes were too many to track one by one. */
	public static final Path RESCAN = Path.of("*");

	private final Duration threshold;

	private final int maxPending;

	private final Scheduler scheduler;

	public StableFiles(Duration threshold, int maxPending, Scheduler scheduler) {
		this.threshold = threshold;
		this.maxPending = maxPending;
		this.scheduler = scheduler;
	}

	public Flux<Path> stable(Flux<Path> changes) {
		return Flux.create(sink -> {
			Pending pending = new Pending(sink);
			Disposable upstream = changes.subscribe(pending::changed, sink::error, sink::complete);
			sink.onRequest(requested -> pending.releaseStable());
			sink.onDispose(upstream);
		});
	}

	private final class Pending {

		private final FluxSink<Path> sink;

		// Insertion order: the file that has waited longest is released first.
		private final Map<Path, Long> lastChange = new LinkedHashMap<>();

		private Disposable timer;

		private long timerDue = Long.MAX_VALUE;

		Pending(FluxSink<Path> sink) {
			this.sink = sink;
		}

		synchronized void changed(Path file) {
			if (this.lastChange.containsKey(RESCAN)) {
				// A rescan is waiting; it covers this file too, and waits for quiet like any file.
				file = RESCAN;
			}
			this.lastChange.remove(file);
			if (this.lastChange.size() >= StableFiles.this.maxPending && !file.equals(RESCAN)) {
				this.lastChange.clear();
				file = RESCAN;
			}
			long now = now();
			this.lastChange.put(file, now);
			wakeAt(now + StableFiles.this.threshold.toMillis());
		}

		synchronized void releaseStable() {
			long threshold = StableFiles.this.threshold.toMillis();
			long stableBefore = now() - threshold;
			Iterator<Map.Entry<Path, Long>> entries = this.lastChange.entrySet().iterator();
			while (entries.hasNext() && this.sink.requestedFromDownstream() > 0) {
				Map.Entry<Path, Long> entry = entries.next();
				if (entry.getValue() <= stableBefore) {
					entries.remove();
					this.sink.next(entry.getKey());
				}
			}
			// Entries are in the order of their last change: the first is the next to become stable.
			if (!this.lastChange.isEmpty() && this.sink.requestedFromDownstream() > 0) {
				wakeAt(this.lastChange.values().iterator().next() + threshold);
			}
		}

		// One timer at a time, due when the next file becomes stable: a file leaves as soon as it
		// is stable, without a polling tick, and a burst of changes does not make a burst of timers.
		private void wakeAt(long due) {
			if (this.timer != null && !this.timer.isDisposed() && this.timerDue <= due) {
				return;
			}
			if (this.timer != null) {
				this.timer.dispose();
			}
			this.timerDue = due;
			// A millisecond late, so that a clock a little behind the timer's still sees the file stable.
			this.timer = StableFiles.this.scheduler.schedule(this::woken, Math.max(1, due - now() + 1), TimeUnit.MILLISECONDS);
		}

		private synchronized void woken() {
			this.timer = null;
			this.timerDue = Long.MAX_VALUE;
			releaseStable();
		}

		private long now() {
			return StableFiles.this.scheduler.now(TimeUnit.MILLISECONDS);
		}

	}

}
