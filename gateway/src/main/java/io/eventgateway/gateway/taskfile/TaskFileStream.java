package io.eventgateway.gateway.taskfile;

import java.time.Duration;

import io.eventgateway.core.taskfile.StableFiles;
import io.eventgateway.core.taskfile.TaskFileWatcher;
import io.eventgateway.gateway.support.PeriodicTask;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.util.retry.Retry;

/**
 * The debounced task-change stream: file changes, held until each file is stable, applied one file
 * at a time. While a file is applied, further changes coalesce in {@link StableFiles}.
 */
public final class TaskFileStream extends PeriodicTask {

	private static final Logger logger = LoggerFactory.getLogger(TaskFileStream.class);

	private final TaskFileWatcher watcher;

	private final StableFiles stableFiles;

	private final TaskFileSync sync;

	public TaskFileStream(TaskFileWatcher watcher, StableFiles stableFiles, TaskFileSync sync) {
		this.watcher = watcher;
		this.stableFiles = stableFiles;
		this.sync = sync;
	}

	@Override
	protected Flux<?> schedule() {
		return this.stableFiles.stable(this.watcher.changes())
			.concatMap(file -> file.equals(StableFiles.RESCAN) ? Flux.fromIterable(this.watcher.files()).concatMap(this.sync::apply)
					: this.sync.apply(file), 1)
			.doOnError(error -> logger.warn("watching task files failed, starting over: {}", error.getMessage()))
			.retryWhen(Retry.backoff(Long.MAX_VALUE, Duration.ofSeconds(1)).maxBackoff(Duration.ofSeconds(30)));
	}

}
