package io.eventgateway.core.task;

import io.eventgateway.core.event.RoomEvent;
import io.eventgateway.core.store.RoomPosition;

/**
 * A committed task write and the durable event that announces it.
 * @param task the task as stored, or {@code null} after a delete
 * @param event {@code task.created}, {@code task.updated} or {@code task.deleted}, with its seq;
 * {@code null} when an update changed nothing (no new version, no event)
 * @param position the room position the answer reflects: the event's seq, or the task's last one
 */
public record TaskCommit(String taskId, Task task, RoomEvent event, RoomPosition position) {

	public boolean changed() {
		return this.event != null;
	}

	/** A creation that repeated an idempotency key: nothing was written, the task is the first one's. */
	public static TaskCommit repeatOf(TaskRead first) {
		return new TaskCommit(first.task().id(), first.task(), null, first.position());
	}

	/** The task as a read would now answer it; {@code null} after a delete. */
	public TaskRead read() {
		return (this.task == null) ? null : new TaskRead(this.task, this.position, false);
	}

}
