package io.eventgateway.gateway.task;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import io.eventgateway.core.task.Task;
import io.eventgateway.core.task.TaskEventEncoder;
import io.eventgateway.core.task.TaskPriority;
import io.eventgateway.core.event.Utf8;
import io.eventgateway.core.task.TaskRejectedException;
import io.eventgateway.core.task.TaskRejectedException.FieldError;
import io.eventgateway.core.task.TaskStatus;
import io.eventgateway.core.task.TaskWrite;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Tasks as JSON: the wire form, new tasks from a request body, and JSON merge patches (RFC 7396).
 * Every rule is checked and every broken one reported, field by field.
 */
public final class TaskJson implements TaskEventEncoder {

	public static final Pattern ID = Pattern.compile("[A-Za-z0-9._-]{1,32}");

	public static final Pattern TEAM = Pattern.compile("[A-Za-z0-9._-]{1,64}");

	public static final int MAX_TITLE = 500;

	public static final int MAX_DESCRIPTION = 10_000;

	public static final int MAX_ASSIGNEE = 128;

	public static final int MAX_DEPENDENCIES = 100;

	private static final Set<String> WRITABLE = Set.of("title", "description", "status", "priority", "assignee",
			"dependencies");

	private static final Set<String> READ_ONLY = Set.of("id", "team", "version", "createdAt", "updatedAt");

	private final ObjectMapper json;

	public TaskJson(ObjectMapper json) {
		this.json = json;
	}

	public ObjectNode toJson(Task task) {
		ObjectNode node = this.json.createObjectNode()
			.put("id", task.id())
			.put("team", task.team())
			.put("title", task.title())
			.put("description", task.description())
			.put("status", task.status().wireName())
			.put("priority", task.priority().wireName())
			.put("assignee", task.assignee());
		task.dependencies().forEach(node.putArray("dependencies")::add);
		return node.put("version", task.version())
			.put("createdAt", task.createdAt().toString())
			.put("updatedAt", task.updatedAt().toString());
	}

	public byte[] toBytes(Task task) {
		return this.json.writeValueAsBytes(toJson(task));
	}

	/** The wire form plus what only the gateway needs, for the shared cache. */
	public String toCachedJson(Task task) {
		return this.json.writeValueAsString(toJson(task).put("sourceKey", task.sourceKey()));
	}

	public Task fromCachedJson(String text) {
		JsonNode node = this.json.readTree(text);
		List<String> dependencies = new ArrayList<>();
		node.path("dependencies").forEach(id -> dependencies.add(id.stringValue()));
		return new Task(node.get("id").stringValue(), node.get("team").stringValue(), textOrNull(node, "sourceKey"),
				node.get("title").stringValue(), textOrNull(node, "description"),
				TaskStatus.fromWire(node.get("status").stringValue()).orElseThrow(),
				TaskPriority.fromWire(node.get("priority").stringValue()).orElseThrow(), textOrNull(node, "assignee"),
				dependencies, node.get("version").longValue(), Instant.parse(node.get("createdAt").stringValue()),
				Instant.parse(node.get("updatedAt").stringValue()));
	}

	private static String textOrNull(JsonNode node, String field) {
		JsonNode value = node.get(field);
		return (value == null || value.isNull()) ? null : value.stringValue();
	}

	@Override
	public String task(Task task) {
		return this.json.writeValueAsString(toJson(task));
	}

	@Override
	public String deleted(String taskId) {
		return this.json.writeValueAsString(this.json.createObjectNode().put("id", taskId));
	}

	/** A new task from a request body: {@code title} required, the rest defaulted. */
	public Task newTask(JsonNode body, String id, String team, Instant now) {
		List<FieldError> errors = new ArrayList<>();
		ObjectNode object = object(body, errors);
		Task empty = new Task(id, team, null, "", null, TaskStatus.PENDING, TaskPriority.MEDIUM, null, List.of(), 1, now, now);
		if (!object.has("title")) {
			errors.add(new FieldError("title", "is required"));
		}
		Task task = apply(empty, object, errors);
		reject(errors);
		return task;
	}

	/**
	 * The change a JSON merge patch makes; fields it leaves out keep their value.
	 *
	 * @param author the user patching, carried as the event's {@code from}
	 */
	public TaskWrite.Update patch(JsonNode body, String id, String team, long expectedVersion, String author) {
		List<FieldError> errors = new ArrayList<>();
		ObjectNode object = object(body, errors);
		reject(errors);
		return new TaskWrite.Update(id, team, expectedVersion, current -> {
			List<FieldError> found = new ArrayList<>();
			Task changed = apply(current, object, found);
			reject(found);
			return changed;
		}, author);
	}

	private static ObjectNode object(JsonNode body, List<FieldError> errors) {
		if (body instanceof ObjectNode object) {
			for (Map.Entry<String, JsonNode> field : object.properties()) {
				if (READ_ONLY.contains(field.getKey())) {
					errors.add(new FieldError(field.getKey(), "is read-only"));
				}
				else if (!WRITABLE.contains(field.getKey())) {
					errors.add(new FieldError(field.getKey(), "is not a task field"));
				}
			}
			return object;
		}
		errors.add(new FieldError("", "the body must be a JSON object"));
		return JsonNodeFactory.instance.objectNode();
	}

	private static Task apply(Task task, ObjectNode patch, List<FieldError> errors) {
		String title = task.title();
		if (patch.has("title")) {
			title = text(patch, "title", 1, MAX_TITLE, false, errors);
		}
		String description = patch.has("description") ? text(patch, "description", 0, MAX_DESCRIPTION, true, errors)
				: task.description();
		String assignee = patch.has("assignee") ? text(patch, "assignee", 1, MAX_ASSIGNEE, true, errors) : task.assignee();
		TaskStatus status = task.status();
		if (patch.has("status")) {
			JsonNode value = patch.get("status");
			status = value.isString() ? TaskStatus.fromWire(value.stringValue()).orElse(null) : null;
			if (status == null) {
				errors.add(new FieldError("status", "must be one of pending, in-progress, review, done, deferred, cancelled"));
			}
		}
		TaskPriority priority = task.priority();
		if (patch.has("priority")) {
			JsonNode value = patch.get("priority");
			priority = value.isString() ? TaskPriority.fromWire(value.stringValue()).orElse(null) : null;
			if (priority == null) {
				errors.add(new FieldError("priority", "must be one of high, medium, low"));
			}
		}
		List<String> dependencies = patch.has("dependencies") ? dependencies(patch.get("dependencies"), errors)
				: task.dependencies();
		if (!errors.isEmpty()) {
			return task;
		}
		return new Task(task.id(), task.team(), task.sourceKey(), title, description, status, priority, assignee,
				dependencies, task.version(), task.createdAt(), task.updatedAt());
	}

	private static String text(ObjectNode patch, String field, int min, int max, boolean nullable, List<FieldError> errors) {
		JsonNode value = patch.get(field);
		if (value.isNull() && nullable) {
			return null;
		}
		if (!value.isString()) {
			errors.add(new FieldError(field, nullable ? "must be a string or null" : "must be a string"));
			return null;
		}
		String text = value.stringValue();
		String problem = textProblem(text, min, max, field.equals("description"));
		if (problem != null) {
			errors.add(new FieldError(field, problem));
		}
		return text;
	}

	/**
	 * What is wrong with a task text, or {@code null}: its length, or a C0 control character (which
	 * a database may refuse to store, and no task needs). Multi-line text keeps tab and line breaks.
	 */
	public static String textProblem(String text, int min, int max, boolean multiline) {
		if (text.strip().length() < min || text.length() > max) {
			return "must have " + (min > 0 ? min + " to " : "at most ") + max + " characters";
		}
		if (!Utf8.isEncodable(text)) {
			return "must be Unicode text (it holds a lone surrogate)";
		}
		for (int i = 0; i < text.length(); i++) {
			char c = text.charAt(i);
			if (c < 0x20 && !(multiline && (c == '\t' || c == '\n' || c == '\r'))) {
				return multiline ? "must not contain control characters other than tab and line breaks"
						: "must not contain control characters";
			}
		}
		return null;
	}

	private static List<String> dependencies(JsonNode value, List<FieldError> errors) {
		if (value.isNull()) {
			return List.of();
		}
		if (!value.isArray() || value.size() > MAX_DEPENDENCIES) {
			errors.add(new FieldError("dependencies", "must be an array of at most " + MAX_DEPENDENCIES + " task ids"));
			return List.of();
		}
		List<String> ids = new ArrayList<>();
		for (int i = 0; i < value.size(); i++) {
			String text = taskId(value.get(i));
			if (text == null) {
				errors.add(new FieldError("dependencies[" + i + "]", "must be a task id matching " + ID.pattern()));
			}
			else if (!ids.contains(text)) {
				ids.add(text);
			}
		}
		return ids;
	}

	/**
	 * A task id given as JSON, or {@code null} when it is none: a string matching {@link #ID}, or a
	 * whole number ≥ 0, since task files number their tasks.
	 */
	public static String taskId(JsonNode id) {
		if (id == null) {
			return null;
		}
		if (id.isIntegralNumber()) {
			return (id.asLong() >= 0) ? id.asString() : null;
		}
		return (id.isString() && ID.matcher(id.stringValue()).matches()) ? id.stringValue() : null;
	}

	private static void reject(List<FieldError> errors) {
		if (!errors.isEmpty()) {
			throw new TaskRejectedException(errors);
		}
	}

}
