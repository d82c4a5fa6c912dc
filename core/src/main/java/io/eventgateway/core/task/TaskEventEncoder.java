package io.eventgateway.core.task;

/** The {@code data} of task events, as JSON text: the task, or {@code {"id":…}} after a delete. */
public interface TaskEventEncoder {

	String CREATED = "task.created";

	String UPDATED = "task.updated";

	String DELETED = "task.deleted";

	String task(Task task);

	String deleted(String taskId);

}
