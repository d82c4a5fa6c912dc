package io.eventgateway.gateway.taskfile;

import io.eventgateway.core.task.Task;
import io.eventgateway.core.task.TaskCommit;
import reactor.core.publisher.Mono;

/** What happens to a team's task file after a task was changed over the HTTP API. */
public interface TaskWriteBack {

	/** Task files are only read. */
	TaskWriteBack NONE = (before, commit) -> Mono.empty();

	/**
	 * Completes once the change is in the file (or the file was left alone); never fails.
	 * @param before the task as it was before the write
	 */
	Mono<Void> written(Task before, TaskCommit commit);

}
