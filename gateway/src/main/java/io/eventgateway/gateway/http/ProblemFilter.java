package io.eventgateway.gateway.http;

import java.util.List;

import io.eventgateway.core.publish.PublishRejectedException;
import io.eventgateway.core.store.DataRejectedException;
import io.eventgateway.core.store.StoreUnavailableException;
import io.eventgateway.core.task.TaskKeyReusedException;
import io.eventgateway.core.task.TaskNotFoundException;
import io.eventgateway.core.task.TaskRejectedException;
import io.eventgateway.core.task.TaskVersionConflictException;
import io.eventgateway.gateway.store.StoreOutage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.server.HandlerFilterFunction;
import org.springframework.web.reactive.function.server.HandlerFunction;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** Answers every refused or failed API request with an RFC 9457 problem. */
public final class ProblemFilter implements HandlerFilterFunction<ServerResponse, ServerResponse> {

	private static final Logger logger = LoggerFactory.getLogger(ProblemFilter.class);

	private final ObjectMapper json;

	public ProblemFilter(ObjectMapper json) {
		this.json = json;
	}

	@Override
	public Mono<ServerResponse> filter(ServerRequest request, HandlerFunction<ServerResponse> next) {
		// Deferred, so that a refusal thrown while the request is read becomes an error signal too.
		return Mono.defer(() -> next.handle(request)).onErrorResume(error -> {
			ApiException problem = asProblem(error);
			return (problem == null) ? Mono.error(error) : render(problem, request);
		});
	}

	private static ApiException asProblem(Throwable error) {
		if (error instanceof ApiException api) {
			return api;
		}
		if (error instanceof TaskNotFoundException) {
			return new ApiException(HttpStatus.NOT_FOUND, "not-found", error.getMessage());
		}
		if (error instanceof TaskKeyReusedException) {
			return new ApiException(HttpStatus.CONFLICT, "idempotency-key-reused", error.getMessage());
		}
		if (error instanceof TaskVersionConflictException) {
			return new ApiException(HttpStatus.PRECONDITION_FAILED, "version-conflict", error.getMessage());
		}
		if (error instanceof TaskRejectedException rejected) {
			return new ApiException(HttpStatus.BAD_REQUEST, "validation", "the task is invalid: " + error.getMessage(),
					rejected.errors().stream().map(field -> new ApiException.InvalidField(field.field(), field.message())).toList(), 0);
		}
		if (error instanceof DataRejectedException) {
			return new ApiException(HttpStatus.BAD_REQUEST, "bad-request", error.getMessage());
		}
		if (error instanceof StoreUnavailableException) {
			StoreOutage outage = StoreOutage.logged(logger, error);
			return new ApiException(HttpStatus.SERVICE_UNAVAILABLE, "unavailable", outage.detail(), List.of(), 1,
					outage.correlationId());
		}
		if (error instanceof PublishRejectedException) {
			return new ApiException(HttpStatus.SERVICE_UNAVAILABLE, "unavailable", error.getMessage(), List.of(), 1);
		}
		return null;
	}

	private Mono<ServerResponse> render(ApiException error, ServerRequest request) {
		ObjectNode body = this.json.createObjectNode()
			.put("type", Problems.type(error.type()))
			.put("title", error.status().getReasonPhrase())
			.put("status", error.status().value())
			.put("detail", error.getMessage())
			.put("instance", request.path());
		if (error.correlationId() != null) {
			body.put("correlationId", error.correlationId());
		}
		if (!error.errors().isEmpty()) {
			ArrayNode errors = body.putArray("errors");
			error.errors().forEach(field -> errors.addObject().put("field", field.field()).put("message", field.message()));
		}
		ServerResponse.BodyBuilder response = ServerResponse.status(error.status()).contentType(MediaType.APPLICATION_PROBLEM_JSON);
		if (error.status() == HttpStatus.UNAUTHORIZED) {
			response.header(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
		}
		if (error.retryAfterSeconds() > 0) {
			response.header(HttpHeaders.RETRY_AFTER, String.valueOf(error.retryAfterSeconds()));
		}
		return response.bodyValue(body);
	}

}
