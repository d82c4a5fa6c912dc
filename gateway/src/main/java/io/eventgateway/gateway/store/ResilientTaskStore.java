package io.eventgateway.gateway.store;

import io.eventgateway.core.task.TaskCommit;
import io.eventgateway.core.task.TaskPage;
import io.eventgateway.core.task.TaskQuery;
import io.eventgateway.core.task.TaskRead;
import io.eventgateway.core.task.TaskStore;
import io.eventgateway.core.task.TaskWrite;
import reactor.core.publisher.Mono;

/** The task store as the gateway uses it: every call through the {@link StoreGuard}. */
public final class ResilientTaskStore implements TaskStore {

	private final TaskStore store;

	private final StoreGuard guard;

	public ResilientTaskStore(TaskStore store, StoreGuard guard) {
		this.store = store;
		this.guard = guard;
	}

	@Override
	public Mono<TaskRead> find(String id) {
		return this.guard.guard(this.store.find(id));
	}

	@Override
	public Mono<TaskPage> list(TaskQuery query) {
		return this.guard.guard(this.store.list(query));
	}

	@Override
	public Mono<TaskCommit> write(TaskWrite write) {
		return this.guard.guard(this.store.write(write));
	}

	@Override
	public Mono<Long> forgetIdempotencyKeys(long recordedBefore) {
		return this.guard.guard(this.store.forgetIdempotencyKeys(recordedBefore));
	}

}
