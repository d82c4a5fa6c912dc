package io.eventgateway.core.task;

import io.eventgateway.core.publish.EventPublisher;
import reactor.core.publisher.Mono;

/**
 * Every task write, from the HTTP API and from task files alike: committed with its event in the
 * publish lane of the team's room, so the event reaches members in {@code seq} order with the
 * room's other durable events.
 */
public final class TaskService {

	private final TaskStore store;

	private final EventPublisher publisher;

	public TaskService(TaskStore store, EventPublisher publisher) {
		this.store = store;
		this.publisher = publisher;
	}

	public Mono<TaskCommit> commit(TaskWrite write) {
		return this.publisher.publishWith(Task.roomOf(write.team()), this.store.write(write), TaskCommit::event);
	}

}
