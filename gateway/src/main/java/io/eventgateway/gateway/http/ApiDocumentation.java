package io.eventgateway.gateway.http;

import java.util.List;
import java.util.Map;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.Paths;
import io.swagger.v3.oas.models.headers.Header;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.parameters.Parameter;
import io.swagger.v3.oas.models.parameters.RequestBody;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;

/**
 * The OpenAPI document of the HTTP API. The routes are functional, which springdoc cannot inspect,
 * so the document is written here, next to the routes it describes (served at {@code /v3/api-docs},
 * Swagger UI at {@code /swagger-ui.html}).
 */
public final class ApiDocumentation {

	private static final String JSON = "application/json";

	private ApiDocumentation() {
	}

	public static OpenAPI openApi() {
		Paths paths = new Paths()
			.addPathItem("/api/teams/{team}/tasks", new PathItem()
				.get(operation("listTasks", "A page of the team's tasks, oldest first", "Tasks")
					.addParametersItem(path("team"))
					.addParametersItem(query("status", "pending, in-progress, review, done, deferred or cancelled"))
					.addParametersItem(query("priority", "high, medium or low"))
					.addParametersItem(query("limit", "1 to 100, default 50"))
					.addParametersItem(query("cursor", "the next of the previous page"))
					.responses(answers(ok("200", "the page: {items, next}", ref("TaskPage"), true), problems("400", "401", "403", "429"))))
				.post(operation("createTask", "Creates a task and announces task.created in room team-{team}", "Tasks")
					.addParametersItem(path("team"))
					.requestBody(body(JSON, ref("NewTask")))
					.responses(answers(ok("201", "the task, with Location and ETag", ref("Task"), true),
							problems("400", "401", "403", "413", "429", "503")))))
			.addPathItem("/api/tasks/{id}", new PathItem()
				.get(operation("getTask", "A task, cache-aside (X-Cache); If-None-Match answers 304", "Tasks")
					.addParametersItem(path("id"))
					.addParametersItem(header("If-None-Match", "an ETag from an earlier answer"))
					.addParametersItem(header("Cache-Control", "no-cache reads the database, not a cache"))
					.responses(answers(ok("200", "the task", ref("Task"), true), ok("304", "unchanged", null, true),
							problems("400", "401", "404", "429"))))
				.patch(operation("patchTask", "Changes a task by a JSON merge patch (RFC 7396); announces task.updated", "Tasks")
					.addParametersItem(path("id"))
					.addParametersItem(header("If-Match", "the ETag the change is based on; a stale one answers 412"))
					.requestBody(body("application/merge-patch+json", ref("NewTask")))
					.responses(answers(ok("200", "the changed task", ref("Task"), true),
							problems("400", "401", "404", "412", "413", "415", "429", "503"))))
				.delete(operation("deleteTask", "Deletes a task; announces task.deleted", "Tasks")
					.addParametersItem(path("id"))
					.addParametersItem(header("If-Match", "the ETag the delete is based on"))
					.responses(answers(ok("204", "deleted", null, true), problems("401", "404", "412", "429", "503")))))
			.addPathItem("/api/rooms/{room}/events", new PathItem()
				.get(operation("roomHistory", "Durable events after since, oldest first", "Rooms")
					.addParametersItem(path("room"))
					.addParametersItem(query("since", "the last seq the client has, default 0"))
					.addParametersItem(query("limit", "1 to 1000, default 100"))
					.responses(answers(ok("200", "{items, next, seq, epoch}", new Schema<>().type("object"), false),
							problems("400", "401", "403", "429", "503"))))
				.post(operation("publish", "Publishes a durable event through the same pipeline as a WebSocket publish", "Rooms")
					.addParametersItem(path("room"))
					.requestBody(body(JSON, new Schema<>().type("object")
						.addProperty("event", new Schema<>().type("string").pattern("^[A-Za-z0-9._:-]{1,64}$"))
						.addProperty("data", new Schema<>())))
					.responses(answers(ok("201", "{seq}", new Schema<>().type("object"), false),
							problems("400", "401", "403", "413", "429", "503")))))
			.addPathItem("/api/rooms/{room}/presence", new PathItem()
				.get(operation("presence", "Users connected to the room, over every instance", "Rooms")
					.addParametersItem(path("room"))
					.responses(answers(ok("200", "{members: [{user, connections}]}", new Schema<>().type("object"), false),
							problems("400", "401", "403", "429")))));
		return new OpenAPI()
			.info(new Info().title("Event gateway HTTP API").version("1")
				.description("Tasks with cache-aside reads, room history, server-side publish and presence. "
						+ "Errors are RFC 9457 problems."))
			.paths(paths)
			.components(new Components()
				.addSecuritySchemes("bearer", new SecurityScheme().type(SecurityScheme.Type.HTTP).scheme("bearer").bearerFormat("JWT"))
				.schemas(schemas()))
			.addSecurityItem(new SecurityRequirement().addList("bearer"));
	}

	@SuppressWarnings("rawtypes")
	private static Map<String, Schema> schemas() {
		Schema<?> text = new Schema<>().type("string");
		Schema<?> status = new Schema<>().type("string")._enum(List.of("pending", "in-progress", "review", "done", "deferred", "cancelled"));
		Schema<?> priority = new Schema<>().type("string")._enum(List.of("high", "medium", "low"));
		Schema<?> ids = new Schema<>().type("array").items(text);
		Schema<?> newTask = new Schema<>().type("object")
			.addProperty("title", new Schema<>().type("string").maxLength(500))
			.addProperty("description", new Schema<>().type("string").maxLength(10_000))
			.addProperty("status", status)
			.addProperty("priority", priority)
			.addProperty("assignee", new Schema<>().type("string").maxLength(128))
			.addProperty("dependencies", ids);
		Schema<?> task = new Schema<>().type("object")
			.addProperty("id", text).addProperty("team", text).addProperty("title", text).addProperty("description", text)
			.addProperty("status", status).addProperty("priority", priority).addProperty("assignee", text)
			.addProperty("dependencies", ids).addProperty("version", new Schema<>().type("integer"))
			.addProperty("createdAt", new Schema<>().type("string").format("date-time"))
			.addProperty("updatedAt", new Schema<>().type("string").format("date-time"));
		Schema<?> page = new Schema<>().type("object")
			.addProperty("items", new Schema<>().type("array").items(ref("Task")))
			.addProperty("next", text);
		Schema<?> problem = new Schema<>().type("object")
			.addProperty("type", text).addProperty("title", text).addProperty("status", new Schema<>().type("integer"))
			.addProperty("detail", text).addProperty("instance", text)
			.addProperty("errors", new Schema<>().type("array").items(new Schema<>().type("object")
				.addProperty("field", text).addProperty("message", text)));
		return Map.of("NewTask", newTask, "Task", task, "TaskPage", page, "Problem", problem);
	}

	private static Operation operation(String id, String summary, String tag) {
		return new Operation().operationId(id).summary(summary).addTagsItem(tag);
	}

	private static Parameter path(String name) {
		return new Parameter().in("path").name(name).required(true).schema(new Schema<>().type("string"));
	}

	private static Parameter query(String name, String description) {
		return new Parameter().in("query").name(name).description(description).schema(new Schema<>().type("string"));
	}

	private static Parameter header(String name, String description) {
		return new Parameter().in("header").name(name).description(description).schema(new Schema<>().type("string"));
	}

	private static RequestBody body(String mediaType, Schema<?> schema) {
		return new RequestBody().required(true).content(new Content().addMediaType(mediaType, new MediaType().schema(schema)));
	}

	private static Schema<?> ref(String name) {
		return new Schema<>().$ref("#/components/schemas/" + name);
	}

	private static Map.Entry<String, ApiResponse> ok(String status, String description, Schema<?> schema, boolean roomHeaders) {
		ApiResponse response = new ApiResponse().description(description);
		if (schema != null) {
			response.content(new Content().addMediaType(JSON, new MediaType().schema(schema)));
		}
		if (roomHeaders) {
			response.addHeaderObject("ETag", new Header().description("the version's entity tag"))
				.addHeaderObject("X-Room-Seq", new Header().description("position of room team-{team} the answer reflects"))
				.addHeaderObject("X-Room-Epoch", new Header().description("lineage of that room's history"))
				.addHeaderObject("X-Cache", new Header().description("HIT or MISS"));
		}
		return Map.entry(status, response);
	}

	private static List<Map.Entry<String, ApiResponse>> problems(String... statuses) {
		return java.util.Arrays.stream(statuses)
			.map(status -> Map.entry(status, new ApiResponse().description("problem")
				.content(new Content().addMediaType("application/problem+json", new MediaType().schema(ref("Problem"))))))
			.toList();
	}

	private static ApiResponses answers(Object... entries) {
		ApiResponses responses = new ApiResponses();
		for (Object entry : entries) {
			if (entry instanceof Map.Entry<?, ?> one) {
				responses.addApiResponse((String) one.getKey(), (ApiResponse) one.getValue());
			}
			else {
				((List<?>) entry).forEach(item -> {
					Map.Entry<?, ?> one = (Map.Entry<?, ?>) item;
					responses.addApiResponse((String) one.getKey(), (ApiResponse) one.getValue());
				});
			}
		}
		return responses;
	}

}
