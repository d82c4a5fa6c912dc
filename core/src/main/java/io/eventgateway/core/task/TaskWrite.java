package io.eventgateway.core.task;

import java.util.function.UnaryOperator;

/** A change to one task, applied in one transaction with the event that announces it. */
public sealed interface TaskWrite {

	/** Any version: the write does not depend on what the writer saw. */
	long ANY_VERSION = 0;

	String taskId();

	String team();

	record Create(Task task) implements TaskWrite {

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
	record Update(String taskId, String team, long expectedVersion, UnaryOperator<Task> change) implements TaskWrite {
	}

	record Delete(String taskId, String team, long expectedVersion) implements TaskWrite {
	}

}
