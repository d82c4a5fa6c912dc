package io.eventgateway.gateway.taskfile;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import io.eventgateway.core.task.TaskPriority;
import io.eventgateway.core.task.TaskStatus;
import io.eventgateway.gateway.task.TaskJson;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * Reads a Task Master task file: an object of tags, each holding a {@code tasks} array, or the older
 * {@code {"tasks":[...]}}. A task's key is its id, prefixed by its tag except in {@code master} (and
 * the older form). A file with any task the store could not hold is refused whole.
 */
public final class TaskFileParser {

	static final String DEFAULT_TAG = "master";

	/** A Task Master tag: short enough that its keys ({@code tag/id}) fit a source key. */
	static final Pattern TAG = Pattern.compile("[A-Za-z0-9._-]{1,31}");

	private final ObjectMapper json;

	private final int maxTasks;

	/** @param maxTasks most tasks one file may hold, over all its tags */
	public TaskFileParser(ObjectMapper json, int maxTasks) {
		this.maxTasks = maxTasks;
		this.json = json;
	}

	public List<FileTask> parse(byte[] content) {
		JsonNode root;
		try {
			root = this.json.readTree(content);
		}
		catch (JacksonException ex) {
			throw new TaskFileException("not JSON (half-written?): " + ex.getOriginalMessage());
		}
		catch (NumberFormatException ex) {
			throw new TaskFileException("a number beyond any range: " + ex.getMessage());
		}
		if (root == null || !root.isObject()) {
			throw new TaskFileException("not a JSON object");
		}
		List<FileTask> tasks = new ArrayList<>();
		if (root.has("tasks")) {
			read(DEFAULT_TAG, root.get("tasks"), tasks);
		}
		else {
			for (Map.Entry<String, JsonNode> tag : root.properties()) {
				if (!tag.getValue().isObject() || !tag.getValue().has("tasks")) {
					throw new TaskFileException("tag " + tag.getKey() + " holds no tasks array");
				}
				read(tag.getKey(), tag.getValue().get("tasks"), tasks);
			}
		}
		if (tasks.size() > this.maxTasks) {
			throw new TaskFileException("more than " + this.maxTasks + " tasks");
		}
		Set<String> keys = new HashSet<>();
		for (FileTask task : tasks) {
			if (!keys.add(task.key())) {
				throw new TaskFileException("task id " + task.key() + " appears twice");
			}
		}
		return tasks;
	}

	private static void read(String tag, JsonNode array, List<FileTask> into) {
		if (!array.isArray()) {
			throw new TaskFileException("tasks of tag " + tag + " is not an array");
		}
		for (int i = 0; i < array.size(); i++) {
			JsonNode task = array.get(i);
			String where = "task " + (i + 1) + " of tag " + tag;
			String id = TaskJson.taskId(task.get("id"));
			if (id == null) {
				throw new TaskFileException(where + " has no valid id");
			}
			if (!TAG.matcher(tag).matches()) {
				throw new TaskFileException("tag " + tag + " does not match " + TAG.pattern());
			}
			// Ids of other tags are kept apart from master's by their tag (source keys hold up to 64 characters).
			String key = tag.equals(DEFAULT_TAG) ? id : tag + "/" + id;
			JsonNode title = task.get("title");
			if (title == null || !title.isString()) {
				throw new TaskFileException(where + " (id " + id + ") has no title");
			}
			checkText(where, id, "title", title.stringValue(), 1, TaskJson.MAX_TITLE, false);
			TaskStatus status = TaskStatus.fromWire(task.path("status").asString("pending"))
				.orElseThrow(() -> new TaskFileException(where + " (id " + id + ") has an unknown status"));
			TaskPriority priority = TaskPriority.fromWire(task.path("priority").asString("medium"))
				.orElseThrow(() -> new TaskFileException(where + " (id " + id + ") has an unknown priority"));
			if (task.path("dependencies").size() > TaskJson.MAX_DEPENDENCIES) {
				throw new TaskFileException(where + " (id " + id + ") has more than " + TaskJson.MAX_DEPENDENCIES
						+ " dependencies");
			}
			List<String> dependencies = new ArrayList<>();
			for (JsonNode dependency : task.path("dependencies")) {
				String dependencyId = TaskJson.taskId(dependency);
				if (dependencyId == null) {
					throw new TaskFileException(where + " (id " + id + ") has an invalid dependency");
				}
				dependencies.add(dependencyId);
			}
			String description = task.path("description").isString() ? task.get("description").stringValue() : null;
			if (description != null) {
				checkText(where, id, "description", description, 0, TaskJson.MAX_DESCRIPTION, true);
			}
			String assignee = task.path("assignee").isString() ? task.get("assignee").stringValue() : null;
			if (assignee != null) {
				checkText(where, id, "assignee", assignee, 1, TaskJson.MAX_ASSIGNEE, false);
			}
			into.add(new FileTask(key, title.stringValue(), description, status, priority, assignee, dependencies));
		}
	}

	/** The same limits as the HTTP API's: a file beyond them is refused whole, as one that is not JSON. */
	private static void checkText(String where, String id, String field, String text, int min, int max,
			boolean multiline) {
		String problem = TaskJson.textProblem(text, min, max, multiline);
		if (problem != null) {
			throw new TaskFileException(where + " (id " + id + "): " + field + " " + problem);
		}
	}

	/** A task as its file describes it. */
	public record FileTask(String key, String title, String description, TaskStatus status, TaskPriority priority,
			String assignee, List<String> dependencies) {
	}

}
