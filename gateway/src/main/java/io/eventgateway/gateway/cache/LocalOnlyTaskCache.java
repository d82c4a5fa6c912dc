package io.eventgateway.gateway.cache;

import java.util.function.Consumer;

import io.eventgateway.core.task.TaskCommit;
import io.eventgateway.core.task.TaskRead;
import reactor.core.publisher.Mono;

/** A single instance: no shared tier, and no other instance to tell of a write. */
public final class LocalOnlyTaskCache implements SharedTaskCache {

	@Override
	public Mono<TaskRead> get(String id) {
		return Mono.empty();
	}

	@Override
	public Mono<Void> put(TaskRead read) {
		return Mono.empty();
	}

	@Override
	public Mono<Void> written(TaskCommit commit) {
		return Mono.empty();
	}

	@Override
	public void onInvalidation(Consumer<String> evict) {
	}

	@Override
	public boolean invalidationsConnected() {
		return true;
	}

}
