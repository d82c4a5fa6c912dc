package io.eventgateway.core.task;

import reactor.core.publisher.Mono;

/**
 * Where tasks live. A write and the durable event that announces it commit together, in the room
 * {@code team-{team}}: no event for a write that rolled back, no write left unannounced.
 */
public interface TaskStore {

	/** The task with the room position of its latest change; empty when there is none. */
	Mono<TaskRead> find(String id);

	/** When {@code bypassCache}, the answer comes from the store itself, not from a cache in front of it. */
	default Mono<TaskRead> find(String id, boolean bypassCache) {
		return find(id);
	}

	Mono<TaskPage> list(TaskQuery query);

	/**
	 * Applies the write with its event. Fails with {@link TaskNotFoundException},
	 * {@link TaskVersionConflictException} or {@link TaskRejectedException} when the write cannot be
	 * made.
	 */
	Mono<TaskCommit> write(TaskWrite write);

	/** Forgets the idempotency keys of task creations recorded before the cut-off; returns how many. */
	Mono<Long> forgetIdempotencyKeys(long recordedBefore);

}
