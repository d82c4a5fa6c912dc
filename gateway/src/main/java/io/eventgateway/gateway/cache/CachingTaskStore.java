package io.eventgateway.gateway.cache;

import java.time.Duration;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.eventgateway.core.task.TaskCommit;
import io.eventgateway.core.task.TaskPage;
import io.eventgateway.core.task.TaskQuery;
import io.eventgateway.core.task.TaskRead;
import io.eventgateway.core.task.TaskStore;
import io.eventgateway.core.task.TaskWrite;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.binder.cache.CaffeineCacheMetrics;
import reactor.core.publisher.Mono;

/**
 * Cache-aside reads of single tasks: a bounded local cache in front of the shared one in front of the
 * store. Concurrent misses of one task share one load. A write updates the shared tier first and
 * then drops the task from every local cache, so that a read started after the write was answered
 * cannot find the old version anywhere: a load still in flight is dropped with it, and one that read
 * the store before the write cannot put its older version over the newer one.
 */
public final class CachingTaskStore implements TaskStore, MeterBinder {

	private final TaskStore store;

	private final SharedTaskCache shared;

	private final AsyncCache<String, TaskRead> local;

	public CachingTaskStore(TaskStore store, SharedTaskCache shared, long maxEntries, Duration timeToLive) {
		this.store = store;
		this.shared = shared;
		this.local = Caffeine.newBuilder()
			.maximumSize(maxEntries)
			.expireAfterWrite(timeToLive)
			.recordStats()
			.buildAsync();
		shared.onInvalidation(id -> {
			if (id == null) {
				this.local.synchronous().invalidateAll();
			}
			else {
				this.local.synchronous().invalidate(id);
			}
		});
	}

	/** Hits, misses, evictions and size of the local tier, as {@code cache_*{cache="tasks"}}. */
	@Override
	public void bindTo(MeterRegistry meters) {
		CaffeineCacheMetrics.monitor(meters, this.local, "tasks");
	}

	@Override
	public Mono<TaskRead> find(String id) {
		return find(id, false);
	}

	@Override
	public Mono<TaskRead> find(String id, boolean bypassCache) {
		if (bypassCache) {
			return this.store.find(id);
		}
		if (!this.shared.invalidationsConnected()) {
			// Deaf to other instances' writes: the local cache could be stale.
			return sharedOrStore(id);
		}
		var cached = this.local.getIfPresent(id);
		if (cached != null && cached.isDone() && !cached.isCompletedExceptionally()) {
			TaskRead read = cached.join();
			return (read != null) ? Mono.just(read.fromCache()) : Mono.empty();
		}
		boolean[] loadedHere = new boolean[1];
		return Mono.fromFuture(() -> this.local.get(id, (key, executor) -> {
			loadedHere[0] = true;
			return sharedOrStore(key).toFuture();
		}), true).map(read -> loadedHere[0] ? read : read.fromCache());
	}

	private Mono<TaskRead> sharedOrStore(String id) {
		return this.shared.get(id)
			.switchIfEmpty(Mono.defer(() -> this.store.find(id).flatMap(read -> this.shared.put(read).thenReturn(read))));
	}

	@Override
	public Mono<TaskPage> list(TaskQuery query) {
		return this.store.list(query);
	}

	@Override
	public Mono<TaskCommit> write(TaskWrite write) {
		return this.store.write(write).flatMap(commit -> {
			if (!commit.changed()) {
				return Mono.just(commit);
			}
			return this.shared.written(commit).then(Mono.fromRunnable(() -> this.local.synchronous().invalidate(commit.taskId())))
				.thenReturn(commit);
		});
	}

	@Override
	public Mono<Long> forgetIdempotencyKeys(long recordedBefore) {
		return this.store.forgetIdempotencyKeys(recordedBefore);
	}

}
