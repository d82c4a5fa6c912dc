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

	private final Duration tick;

	private final int maxPending;

	private final Scheduler scheduler;

	public StableFiles(Duration threshold, int maxPending, Scheduler scheduler) {
		this.threshold = threshold;
		// Checked this often: a file leaves at most a tick after it became stable.
		this.tick = Duration.ofMillis(Math.max(1, Math.min(10, threshold.toMillis() / 4)));
		this.maxPending = maxPending;
		this.scheduler = scheduler;
	}

	public Flux<Path> stable(Flux<Path> changes) {
		return Flux.create(sink -> {
			Pending pending = new Pending(sink);
			Disposable upstream = changes.subscribe(pending::changed, sink::error, sink::complete);
			Disposable ticks = Flux.interval(this.tick, this.scheduler).subscribe(tick -> pending.releaseStable());
			sink.onRequest(requested -> pending.releaseStable());
			sink.onDispose(() -> {
				upstream.dispose();
				ticks.dispose();
			});
		});
	}

	private final class Pending {

		private final FluxSink<Path> sink;

		// Insertion order: the file that has waited longest is released first.
		private final Map<Path, Long> lastChange = new LinkedHashMap<>();

		Pending(FluxSink<Path> sink) {
			this.sink = sink;
		}

		synchronized void changed(Path file) {
			if (this.lastChange.containsKey(RESCAN)) {
				// A rescan is waiting; it covers this file too, and waits for quiet like any file.
				this.lastChange.put(RESCAN, now());
				return;
			}
			this.lastChange.remove(file);
			if (this.lastChange.size() >= StableFiles.this.maxPending) {
				this.lastChange.clear();
				file = RESCAN;
			}
			this.lastChange.put(file, now());
		}

		synchronized void releaseStable() {
			long stableBefore = now() - StableFiles.this.threshold.toMillis();
			Iterator<Map.Entry<Path, Long>> entries = this.lastChange.entrySet().iterator();
			while (entries.hasNext() && this.sink.requestedFromDownstream() > 0) {
				Map.Entry<Path, Long> entry = entries.next();
				if (entry.getValue() <= stableBefore) {
					entries.remove();
					this.sink.next(entry.getKey());
				}
			}
		}

		private long now() {
			return StableFiles.this.scheduler.now(TimeUnit.MILLISECONDS);
		}

	}

}
