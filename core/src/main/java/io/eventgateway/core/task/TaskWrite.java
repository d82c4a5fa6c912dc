package io.eventgateway.core.task;

import java.util.function.UnaryOperator;

/** A change to one task, applied in one transaction with the event that announces it. */
public sealed interface TaskWrite {

	/** Any version: the write does not depend on what the writer saw. */
	long ANY_VERSION = 0;

	String taskId();

	String team();

	/** The user whose request made the write, carried as its event's {@code from}; {@code null} for a task file. */
	String author();

	/**
	 * @param idempotencyKey the creator's key: a creation repeating a key the team used creates
	 * nothing and answers the task the first one created; or {@code null}
	 */
	record Create(Task task, String author, String idempotencyKey) implements TaskWrite {

		public Create(Task task) {
			this(task, null, null);
		}

		@Override
		public String taskId() {
			return this.task.id();
		}

		@Override
		public String team() {
			return this.task.team();
		}

	}

	/**
	 * @param change the task's new content, computed from its current state (it may throw
	 * {@link TaskRejectedException})
	 */
	record Update(String taskId, String team, long expectedVersion, UnaryOperator<Task> change, String author)
			implements TaskWrite {

		public Update(String taskId, String team, long expectedVersion, UnaryOperator<Task> change) {
			this(taskId, team, expectedVersion, change, null);
		}

	}

	record Delete(String taskId, String team, long expectedVersion, String author) implements TaskWrite {

		public Delete(String taskId, String team, long expectedVersion) {
			this(taskId, team, expectedVersion, null);
		}

	}

}
