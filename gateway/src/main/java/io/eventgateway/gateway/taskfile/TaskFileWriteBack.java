package io.eventgateway.gateway.taskfile;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.eventgateway.core.task.Task;
import io.eventgateway.core.task.TaskCommit;
import io.eventgateway.core.taskfile.TaskFileWatcher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Writes changes made over the HTTP API to tasks that came from a task file back into that file:
 * the task's fields are updated in place (what the gateway does not store, such as {@code details}
 * or {@code subtasks}, is kept), a deleted task is removed, and the file is replaced by an atomic
 * rename so the watcher never reads it half-written. The watcher then sees the change and applies
 * the file; it equals the store, so no second version and no second event follow. Tasks created
 * over HTTP have no place in the file and are not written.
 */
public final class TaskFileWriteBack implements TaskWriteBack {

	private static final Logger logger = LoggerFactory.getLogger(TaskFileWriteBack.class);

	private final Path root;

	private final ObjectMapper json;

	private final TaskFileReader reader;

	// One writer per team file at a time: each rewrite reads what the previous one wrote.
	private final Map<String, Object> teamLocks = new ConcurrentHashMap<>();

	public TaskFileWriteBack(Path root, TaskFileReader reader, ObjectMapper json) {
		this.root = root;
		this.reader = reader;
		this.json = json;
	}

	@Override
	public Mono<Void> written(Task before, TaskCommit commit) {
		if (!commit.changed() || before.sourceKey() == null) {
			return Mono.empty();
		}
		return Mono.fromRunnable(() -> rewrite(before, commit))
			.subscribeOn(Schedulers.boundedElastic())
			.onErrorResume(error -> {
				logger.warn("writing task {} back to its file failed: {}", commit.taskId(), error.getMessage());
				return Mono.empty();
			})
			.then();
	}

	private void rewrite(Task before, TaskCommit commit) {
		String team = before.team();
		Path file = this.root.resolve(team).resolve(TaskFileWatcher.FILE_NAME);
		synchronized (this.teamLocks.computeIfAbsent(team, key -> new Object())) {
			if (!Files.exists(file)) {
				return;
			}
			byte[] read;
			JsonNode root;
			try {
				read = this.reader.read(file);
				root = this.json.readTree(read);
			}
			catch (IOException | RuntimeException ex) {
				logger.warn("task file {} cannot be read ({}); not writing task {} back", file, ex.getMessage(),
						commit.taskId());
				return;
			}
			if (apply(root, before.sourceKey(), commit.task())) {
				try {
					replace(file.toRealPath(), read, this.json.writerWithDefaultPrettyPrinter().writeValueAsBytes(root));
				}
				catch (IOException ex) {
					throw new UncheckedIOException("could not replace " + file, ex);
				}
			}
		}
	}

	// Finds the task by its key (id, or tag/id outside the master tag) and updates or removes it.
	private static boolean apply(JsonNode root, String key, Task after) {
		if (!(root instanceof ObjectNode)) {
			return false;
		}
		String tag = TaskFileParser.DEFAULT_TAG;
		String id = key;
		int slash = key.indexOf('/');
		if (slash > 0) {
			tag = key.substring(0, slash);
			id = key.substring(slash + 1);
		}
		JsonNode tasks = root.has("tasks") && tag.equals(TaskFileParser.DEFAULT_TAG) ? root.get("tasks") : root.path(tag).path("tasks");
		if (!(tasks instanceof ArrayNode array)) {
			return false;
		}
		for (int i = 0; i < array.size(); i++) {
			if (array.get(i) instanceof ObjectNode task && id.equals(task.path("id").asString())) {
				if (after == null) {
					array.remove(i);
				}
				else {
					update(task, after);
				}
				return true;
			}
		}
		return false;
	}

	private static void update(ObjectNode node, Task task) {
		node.put("title", task.title());
		if (task.description() != null || node.has("description")) {
			node.put("description", task.description());
		}
		node.put("status", task.status().wireName());
		node.put("priority", task.priority().wireName());
		if (task.assignee() != null || node.has("assignee")) {
			node.put("assignee", task.assignee());
		}
		ArrayNode dependencies = node.putArray("dependencies");
		for (String dependency : task.dependencies()) {
			// Task Master numbers its tasks: keep numbers as numbers.
			if (dependency.matches("\\d{1,18}")) {
				dependencies.add(Long.parseLong(dependency));
			}
			else {
				dependencies.add(dependency);
			}
		}
	}

	/**
	 * Replaces the file atomically, with its permissions, unless it changed since it was read: a
	 * change made on disk meanwhile wins, and reaches the store through the watcher.
	 */
	private void replace(Path file, byte[] read, byte[] content) throws IOException {
		Path temporary = Files.createTempFile(file.getParent(), ".tasks-", ".json.tmp");
		try {
			Files.write(temporary, content);
			copyPermissions(file, temporary);
			if (!Arrays.equals(read, this.reader.read(file))) {
				logger.warn("task file {} changed since it was read; its change wins over the write back", file);
				return;
			}
			try {
				Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
			}
			catch (AtomicMoveNotSupportedException ex) {
				Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
			}
		}
		finally {
			Files.deleteIfExists(temporary);
		}
	}

	private static void copyPermissions(Path from, Path to) throws IOException {
		if (Files.getFileStore(from).supportsFileAttributeView(PosixFileAttributeView.class)) {
			Files.setPosixFilePermissions(to, Files.getPosixFilePermissions(from));
		}
	}

}
