package io.eventgateway.gateway.taskfile;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;

import io.eventgateway.core.task.Task;
import io.eventgateway.core.task.TaskCommit;
import io.eventgateway.core.task.TaskException;
import io.eventgateway.core.task.TaskIds;
import io.eventgateway.core.task.TaskQuery;
import io.eventgateway.core.task.TaskService;
import io.eventgateway.core.task.TaskStore;
import io.eventgateway.core.task.TaskWrite;
import io.eventgateway.gateway.metrics.GatewayMeters;
import io.eventgateway.gateway.task.TaskJson;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Applies a team's task file to the store: the difference between the file's tasks and the team's
 * stored tasks that came from the file, written through the {@link TaskService} (so caches are
 * invalidated and {@code task.*} events go out). Tasks created over the HTTP API are left alone.
 *
 * <p>Applying is idempotent: each update compares with the task's row under its lock, and a task
 * file key is unique per team. So several instances applying the same change (a shared folder)
 * make one set of writes and events between them, with no lease to hold or lose.
 */
public final class TaskFileSync {

	private static final Logger logger = LoggerFactory.getLogger(TaskFileSync.class);

	private static final int PAGE = 100;

	private final TaskStore tasks;

	private final TaskService service;

	private final TaskFileParser parser;

	private final TaskIds ids;

	private final Clock clock;

	private final MeterRegistry meters;

	private final TaskFileReader reader;

	private final Duration readTimeout;

	public TaskFileSync(TaskStore tasks, TaskService service, TaskFileReader reader, TaskFileParser parser,
			Duration readTimeout, Clock clock, MeterRegistry meters) {
		this.tasks = tasks;
		this.reader = reader;
		this.readTimeout = readTimeout;
		this.service = service;
		this.parser = parser;
		this.ids = new TaskIds(clock);
		this.clock = clock;
		this.meters = meters;
	}

	/** Applies the file; never fails: a file that cannot be applied is reported and changes nothing. */
	public Mono<Void> apply(Path file) {
		String team = file.getParent().getFileName().toString();
		if (!TaskJson.TEAM.matcher(team).matches()) {
			return refused(file, "invalid", "folder name is not a team name matching " + TaskJson.TEAM.pattern());
		}
		return Mono.fromCallable(() -> this.reader.read(file))
			.subscribeOn(Schedulers.boundedElastic())
			// A file on a hung network mount must not hold up every file behind it.
			.timeout(this.readTimeout)
			.map(this.parser::parse)
			.flatMap(fileTasks -> applyTasks(team, fileTasks))
			.doOnNext(changes -> {
				this.meters.counter(GatewayMeters.TASK_FILES_APPLIED).increment();
				logger.info("task file {} applied: {} change(s)", file, changes);
			})
			.then()
			.onErrorResume(NoSuchFileException.class, error -> refused(file, "vanished", "the file is gone"))
			.onErrorResume(TaskFileException.class, error -> refused(file, "invalid", error.getMessage()))
			.onErrorResume(IOException.class, error -> refused(file, "unreadable", error.getMessage()))
			.onErrorResume(TimeoutException.class, error -> refused(file, "unreadable", "not read within " + this.readTimeout))
			.onErrorResume(error -> refused(file, "failed", error.toString()));
	}

	private Mono<Void> refused(Path file, String reason, String detail) {
		this.meters.counter(GatewayMeters.TASK_FILES_REFUSED, "reason", reason).increment();
		logger.warn("task file {} not applied ({}): {}; the stored tasks are unchanged", file, reason, detail);
		return Mono.empty();
	}

	private Mono<Integer> applyTasks(String team, List<TaskFileParser.FileTask> fileTasks) {
		return storedFromFile(team).flatMap(stored -> {
			Map<String, Task> remaining = new HashMap<>(stored);
			Flux<TaskWrite> writes = Flux.fromIterable(fileTasks).<TaskWrite>mapNotNull(fileTask -> {
				Task current = remaining.remove(fileTask.key());
				if (current == null) {
					return new TaskWrite.Create(newTask(team, fileTask));
				}
				Task wanted = withContent(current, fileTask);
				return wanted.sameContentAs(current) ? null
						: new TaskWrite.Update(current.id(), team, TaskWrite.ANY_VERSION, latest -> withContent(latest, fileTask));
			}).concatWith(Flux.fromIterable(remaining.values())
				.<TaskWrite>map(gone -> new TaskWrite.Delete(gone.id(), team, TaskWrite.ANY_VERSION)));
			// One write at a time keeps the team's events in the file's order.
			return writes.concatMap(write -> this.service.commit(write)
				.map(TaskCommit::changed)
				.doOnNext(changed -> {
					if (changed) {
						this.meters.counter(GatewayMeters.TASK_FILE_CHANGES, "kind", kind(write)).increment();
					}
				})
				// Another instance got there first (same file): its write stands.
				.onErrorResume(TaskException.class, error -> Mono.just(false)))
				.filter(Boolean::booleanValue)
				.count()
				.map(Long::intValue);
		});
	}

	private Mono<Map<String, Task>> storedFromFile(String team) {
		return this.tasks.list(new TaskQuery(team, null, null, null, PAGE))
			.expand(page -> page.nextAfterId() == null ? Mono.empty()
					: this.tasks.list(new TaskQuery(team, null, null, page.nextAfterId(), PAGE)))
			.flatMapIterable(page -> page.items())
			.filter(task -> task.sourceKey() != null)
			.collectMap(Task::sourceKey);
	}

	private Task newTask(String team, TaskFileParser.FileTask fileTask) {
		Instant now = this.clock.instant();
		return new Task(this.ids.next(), team, fileTask.key(), fileTask.title(), fileTask.description(), fileTask.status(),
				fileTask.priority(), fileTask.assignee(), fileTask.dependencies(), 1, now, now);
	}

	private static Task withContent(Task task, TaskFileParser.FileTask fileTask) {
		return new Task(task.id(), task.team(), fileTask.key(), fileTask.title(), fileTask.description(), fileTask.status(),
				fileTask.priority(), fileTask.assignee(), fileTask.dependencies(), task.version(), task.createdAt(),
				task.updatedAt());
	}

	private static String kind(TaskWrite write) {
		return (write instanceof TaskWrite.Create) ? "created" : (write instanceof TaskWrite.Update) ? "updated" : "deleted";
	}

}
