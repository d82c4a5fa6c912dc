package io.eventgateway.loadtest.scenario;

import java.time.Duration;
import java.util.List;

import io.netty.handler.codec.http.HttpHeaderNames;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.ByteBufFlux;
import reactor.netty.http.client.HttpClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Creates the tasks an HTTP run reads, through {@code POST /api/teams/{team}/tasks}. */
final class TaskSetup {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final int CONCURRENCY = 8;

	private TaskSetup() {
	}

	/** The new tasks' ids; fails with what the gateway answered when one is not created. */
	static List<String> create(HttpClient http, String team, int count) {
		return Flux.range(0, count)
			.flatMap(i -> createOne(http, team, "load test task " + i), CONCURRENCY)
			.collectList()
			.block(Duration.ofSeconds(30 + count / 10));
	}

	private static Mono<String> createOne(HttpClient http, String team, String title) {
		String body = "{\"title\":\"" + title + "\",\"status\":\"pending\",\"priority\":\"medium\"}";
		return http.headers(headers -> headers.set(HttpHeaderNames.CONTENT_TYPE, "application/json"))
			.post()
			.uri("/api/teams/" + team + "/tasks")
			.send(ByteBufFlux.fromString(Mono.just(body)))
			.responseSingle((response, content) -> content.asString().defaultIfEmpty("").flatMap(text -> {
				if (response.status().code() != 201) {
					return Mono.error(new IllegalStateException("POST /api/teams/" + team + "/tasks answered "
							+ response.status().code() + " " + text.substring(0, Math.min(200, text.length()))
							+ (response.status().code() == 404 ? " (does this gateway serve the task API?)" : "")));
				}
				return Mono.just(id(text));
			}));
	}

	static String id(String taskJson) {
		JsonNode id = JSON.readTree(taskJson).path("id");
		if (id.isMissingNode() || id.isNull()) {
			throw new IllegalStateException("created task without an id: " + taskJson);
		}
		return id.asString();
	}

}
