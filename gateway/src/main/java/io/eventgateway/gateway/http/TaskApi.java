package io.eventgateway.gateway.http;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Base64;
import java.util.List;

import io.eventgateway.core.store.RoomPosition;
import io.eventgateway.core.task.Task;
import io.eventgateway.core.task.TaskIds;
import io.eventgateway.core.task.TaskNotFoundException;
import io.eventgateway.core.task.TaskPriority;
import io.eventgateway.core.task.TaskQuery;
import io.eventgateway.core.task.TaskRead;
import io.eventgateway.core.task.TaskService;
import io.eventgateway.core.task.TaskStatus;
import io.eventgateway.core.task.TaskStore;
import io.eventgateway.core.task.TaskWrite;
import io.eventgateway.core.auth.ClientIdentity;
import io.eventgateway.gateway.metrics.GatewayMeters;
import io.eventgateway.gateway.task.TaskJson;
import io.eventgateway.gateway.taskfile.TaskWriteBack;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Tasks of teams over HTTP. Reads of one task are cache-aside ({@code X-Cache}), every read carries
 * the ETag of the task's version and the position of room {@code team-{team}} it reflects
 * ({@code X-Room-Seq}, {@code X-Room-Epoch}); writes go through the {@link TaskService}.
 */
public final class TaskApi {

	static final int DEFAULT_LIMIT = 50;

	static final int MAX_LIMIT = 100;

	static final MediaType MERGE_PATCH = MediaType.parseMediaType("application/merge-patch+json");

	private final ApiRequests requests;

	private final TaskStore tasks;

	private final TaskService service;

	private final TaskJson taskJson;

	private final ObjectMapper json;

	private final TaskIds ids;

	private final TaskWriteBack writeBack;

	private final Counter cacheHits;

	private final Counter cacheMisses;

	private final Clock clock;

	public TaskApi(ApiRequests requests, TaskStore tasks, TaskService service, TaskJson taskJson, ObjectMapper json,
			TaskWriteBack writeBack, MeterRegistry meters, Clock clock) {
		this.requests = requests;
		this.tasks = tasks;
		this.service = service;
		this.taskJson = taskJson;
		this.json = json;
		this.ids = new TaskIds(clock);
		this.writeBack = writeBack;
		this.cacheHits = meters.counter(GatewayMeters.TASK_READS, "cache", "hit");
		this.cacheMisses = meters.counter(GatewayMeters.TASK_READS, "cache", "miss");
		this.clock = clock;
	}

	public RouterFunction<ServerResponse> routes() {
		return RouterFunctions.route()
			.GET("/api/teams/{team}/tasks", this::list)
			.POST("/api/teams/{team}/tasks", this::create)
			.GET("/api/tasks/{id}", this::get)
			.PATCH("/api/tasks/{id}", this::patch)
			.DELETE("/api/tasks/{id}", this::delete)
			.build();
	}

	private Mono<ServerResponse> list(ServerRequest request) {
		String team = authorizedTeam(request, false);
		TaskStatus status = request.queryParam("status").filter(value -> !value.isEmpty())
			.map(value -> TaskStatus.fromWire(value).orElseThrow(() -> ApiException.badField("status",
					"must be one of pending, in-progress, review, done, deferred, cancelled")))
			.orElse(null);
		TaskPriority priority = request.queryParam("priority").filter(value -> !value.isEmpty())
			.map(value -> TaskPriority.fromWire(value).orElseThrow(() -> ApiException.badField("priority", "must be one of high, medium, low")))
			.orElse(null);
		int limit = (int) ApiRequests.number(request, "limit", 1, MAX_LIMIT, DEFAULT_LIMIT);
		String afterId = request.queryParam("cursor").filter(value -> !value.isEmpty()).map(TaskApi::decodeCursor).orElse(null);
		return this.tasks.list(new TaskQuery(team, status, priority, afterId, limit)).flatMap(page -> {
			ObjectNode body = this.json.createObjectNode();
			ArrayNode items = body.putArray("items");
			page.items().forEach(task -> items.add(this.taskJson.toJson(task)));
			body.put("next", page.nextAfterId() == null ? null : encodeCursor(page.nextAfterId()));
			// Any task change advances the room, so its position is a validator for the page.
			String etag = "W/\"" + page.position().epoch() + "-" + page.position().seq() + "\"";
			boolean unchanged = request.headers().header(HttpHeaders.IF_NONE_MATCH).stream()
				.anyMatch(header -> header.contains(etag));
			ServerResponse.BodyBuilder response = withPosition(
					unchanged ? ServerResponse.status(HttpStatus.NOT_MODIFIED) : ServerResponse.ok(), page.position())
				.header(HttpHeaders.ETAG, etag)
				.header("X-Cache", "MISS")
				.cacheControl(CacheControl.noCache());
			return unchanged ? response.build() : response.contentType(MediaType.APPLICATION_JSON).bodyValue(body);
		});
	}

	private Mono<ServerResponse> get(ServerRequest request) {
		ClientIdentity identity = this.requests.identity(request);
		String id = taskId(request);
		boolean bypassCache = request.headers().header(HttpHeaders.CACHE_CONTROL).stream().anyMatch(value -> value.contains("no-cache"));
		return readable(id, identity, bypassCache).flatMap(read -> {
			(read.cacheHit() ? this.cacheHits : this.cacheMisses).increment();
			String etag = etag(read.task());
			if (EntityTags.matchesAny(request.headers().header(HttpHeaders.IF_NONE_MATCH), etag)) {
				ServerResponse.BodyBuilder notModified = taskHeaders(ServerResponse.status(HttpStatus.NOT_MODIFIED), read);
				return notModified.build();
			}
			return taskHeaders(ServerResponse.ok(), read).contentType(MediaType.APPLICATION_JSON)
				.bodyValue(this.taskJson.toBytes(read.task()));
		});
	}

	/**
	 * Creates a task. With an {@code Idempotency-Key} a repeat creates nothing and answers 200 with
	 * the task the first request created.
	 */
	private Mono<ServerResponse> create(ServerRequest request) {
		String team = authorizedTeam(request, true);
		String key = ApiRequests.idempotencyKey(request);
		return this.requests.jsonBody(request)
			.map(body -> this.taskJson.newTask(body, this.ids.next(), team, this.clock.instant()))
			.flatMap(task -> this.service.commit(new TaskWrite.Create(task, this.requests.identity(request).user(), key)))
			.flatMap(commit -> taskHeaders(commit.changed() ? ServerResponse.created(URI.create("/api/tasks/" + commit.taskId()))
					: ServerResponse.ok(), commit.read())
				.contentType(MediaType.APPLICATION_JSON)
				.bodyValue(this.taskJson.toBytes(commit.task())));
	}

	private Mono<ServerResponse> patch(ServerRequest request) {
		ClientIdentity identity = this.requests.identity(request);
		String id = taskId(request);
		MediaType type = request.headers().contentType().orElse(MediaType.APPLICATION_JSON);
		if (!type.isCompatibleWith(MERGE_PATCH) && !type.isCompatibleWith(MediaType.APPLICATION_JSON)) {
			throw new ApiException(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "unsupported-media-type",
					"send a JSON merge patch (application/merge-patch+json)");
		}
		long expectedVersion = expectedVersion(request);
		return this.requests.jsonBody(request)
			.zipWith(writable(id, identity))
			.flatMap(bodyAndTask -> {
				Task before = bodyAndTask.getT2().task();
				return this.service.commit(this.taskJson.patch(bodyAndTask.getT1(), id, before.team(), expectedVersion, identity.user()))
					.flatMap(commit -> this.writeBack.written(before, commit).thenReturn(commit));
			})
			.flatMap(commit -> taskHeaders(ServerResponse.ok(), commit.read()).contentType(MediaType.APPLICATION_JSON)
				.bodyValue(this.taskJson.toBytes(commit.task())));
	}

	private Mono<ServerResponse> delete(ServerRequest request) {
		ClientIdentity identity = this.requests.identity(request);
		String id = taskId(request);
		long expectedVersion = expectedVersion(request);
		return writable(id, identity)
			.flatMap(read -> this.service.commit(new TaskWrite.Delete(id, read.task().team(), expectedVersion, identity.user()))
				.flatMap(commit -> this.writeBack.written(read.task(), commit).thenReturn(commit)))
			.flatMap(commit -> withPosition(ServerResponse.status(HttpStatus.NO_CONTENT), commit.position()).build());
	}

	// A task of a team the caller may not see is answered as missing: ids do not reveal other teams.
	private Mono<TaskRead> readable(String id, ClientIdentity identity, boolean bypassCache) {
		return this.tasks.find(id, bypassCache)
			.filter(read -> identity.rooms().mayJoin(read.task().room()))
			.switchIfEmpty(Mono.error(() -> new TaskNotFoundException(id)));
	}

	// A task the caller may see but not change (its team's room is read-only for the token): 403.
	private Mono<TaskRead> writable(String id, ClientIdentity identity) {
		return readable(id, identity, false).doOnNext(read -> {
			if (!identity.rooms().mayPublish(read.task().room())) {
				throw new ApiException(HttpStatus.FORBIDDEN, "forbidden", read.task().room() + " is read-only for this token");
			}
		});
	}

	/** @param writing whether the request changes tasks (a read-only room allows reading only) */
	private String authorizedTeam(ServerRequest request, boolean writing) {
		ClientIdentity identity = this.requests.identity(request);
		String team = request.pathVariable("team");
		if (!TaskJson.TEAM.matcher(team).matches()) {
			throw ApiException.badField("team", "must match " + TaskJson.TEAM.pattern());
		}
		if (!identity.rooms().mayJoin(Task.roomOf(team))) {
			throw new ApiException(HttpStatus.FORBIDDEN, "forbidden", "not allowed to use room " + Task.roomOf(team));
		}
		if (writing && !identity.rooms().mayPublish(Task.roomOf(team))) {
			throw new ApiException(HttpStatus.FORBIDDEN, "forbidden", Task.roomOf(team) + " is read-only for this token");
		}
		return team;
	}

	private static String taskId(ServerRequest request) {
		String id = request.pathVariable("id");
		if (!TaskJson.ID.matcher(id).matches()) {
			throw ApiException.badField("id", "must match " + TaskJson.ID.pattern());
		}
		return id;
	}

	/** {@code If-Match}: absent or {@code *} accepts any version; an ETag no version has is stale at once. */
	private static long expectedVersion(ServerRequest request) {
		List<String> ifMatch = request.headers().header(HttpHeaders.IF_MATCH);
		if (ifMatch.isEmpty() || ifMatch.get(0).trim().equals("*")) {
			return TaskWrite.ANY_VERSION;
		}
		long version = EntityTags.version(ifMatch.get(0));
		if (version <= 0) {
			throw new ApiException(HttpStatus.PRECONDITION_FAILED, "version-conflict",
					"If-Match " + ifMatch.get(0) + " names no version of this task");
		}
		return version;
	}

	private static ServerResponse.BodyBuilder taskHeaders(ServerResponse.BodyBuilder response, TaskRead read) {
		return withPosition(response, read.position())
			.header(HttpHeaders.ETAG, etag(read.task()))
			.header("X-Cache", read.cacheHit() ? "HIT" : "MISS")
			.cacheControl(CacheControl.noCache());
	}

	private static ServerResponse.BodyBuilder withPosition(ServerResponse.BodyBuilder response, RoomPosition position) {
		return response.header("X-Room-Seq", String.valueOf(position.seq())).header("X-Room-Epoch", position.epoch());
	}

	static String etag(Task task) {
		return EntityTags.of(task.version());
	}

	private static String encodeCursor(String afterId) {
		return Base64.getUrlEncoder().withoutPadding().encodeToString(afterId.getBytes(StandardCharsets.UTF_8));
	}

	private static String decodeCursor(String cursor) {
		try {
			String id = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
			if (TaskJson.ID.matcher(id).matches()) {
				return id;
			}
		}
		catch (IllegalArgumentException ignored) {
			// Answered below.
		}
		throw ApiException.badField("cursor", "is not a cursor this API gave out");
	}

}
