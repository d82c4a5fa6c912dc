package io.eventgateway.gateway.http;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Map;

import io.eventgateway.core.event.Names;
import io.eventgateway.core.event.RoomEvent;
import io.eventgateway.core.publish.EventPublisher;
import io.eventgateway.core.publish.PublishRejectedException;
import io.eventgateway.core.room.Presence;
import io.eventgateway.core.store.EventStore;
import io.eventgateway.core.store.NewEvent;
import io.eventgateway.core.store.StoreUnavailableException;
import io.eventgateway.gateway.auth.ClientIdentity;
import io.eventgateway.gateway.auth.InvalidTokenException;
import io.eventgateway.gateway.auth.TokenService;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Room history, server-side publish and presence over HTTP: the same store, publish pipeline and
 * presence as the WebSocket side, behind the same tokens.
 */
public final class RoomApi {

	static final int DEFAULT_LIMIT = 100;

	static final int MAX_LIMIT = 1000;

	private final TokenService tokens;

	private final EventStore store;

	private final EventPublisher publisher;

	private final Presence presence;

	private final ObjectMapper json;

	private final int maxDataBytes;

	private final Clock clock;

	public RoomApi(TokenService tokens, EventStore store, EventPublisher publisher, Presence presence, ObjectMapper json,
			int maxDataBytes, Clock clock) {
		this.tokens = tokens;
		this.store = store;
		this.publisher = publisher;
		this.presence = presence;
		this.json = json;
		this.maxDataBytes = maxDataBytes;
		this.clock = clock;
	}

	public RouterFunction<ServerResponse> routes() {
		return RouterFunctions.route()
			// Deferred, so that a request refused while it is read becomes an error signal for onError.
			.GET("/api/rooms/{room}/events", request -> Mono.defer(() -> history(request)))
			.POST("/api/rooms/{room}/events", request -> Mono.defer(() -> publish(request)))
			.GET("/api/rooms/{room}/presence", request -> Mono.defer(() -> presence(request)))
			.onError(ApiException.class, (error, request) -> problem((ApiException) error, request))
			.onError(StoreUnavailableException.class, (error, request) -> problem(
					new ApiException(HttpStatus.SERVICE_UNAVAILABLE, "unavailable", error.getMessage()), request))
			.onError(PublishRejectedException.class, (error, request) -> problem(
					new ApiException(HttpStatus.SERVICE_UNAVAILABLE, "unavailable", error.getMessage()), request))
			.build();
	}

	/** Durable events with {@code seq > since}, oldest first; {@code next} is the since of the next page. */
	private Mono<ServerResponse> history(ServerRequest request) {
		String room = authorizedRoom(request);
		long since = number(request, "since", 0, Long.MAX_VALUE, 0);
		int limit = (int) number(request, "limit", 1, MAX_LIMIT, DEFAULT_LIMIT);
		return this.store.position(room)
			.flatMap(position -> this.store.read(room, since, position.seq(), limit).collectList().map(events -> {
				StringBuilder body = new StringBuilder("{\"items\":[");
				for (int i = 0; i < events.size(); i++) {
					body.append(i == 0 ? "" : ",").append(new String(events.get(i).wire(), StandardCharsets.UTF_8));
				}
				long last = events.isEmpty() ? since : events.get(events.size() - 1).seq();
				body.append("],\"next\":").append(events.size() == limit && last < position.seq() ? String.valueOf(last) : "null")
					.append(",\"seq\":").append(position.seq()).append(",\"epoch\":\"").append(position.epoch()).append("\"}");
				return body.toString();
			}))
			.flatMap(body -> ServerResponse.ok().contentType(MediaType.APPLICATION_JSON).bodyValue(body));
	}

	private Mono<ServerResponse> publish(ServerRequest request) {
		String room = authorizedRoom(request);
		return request.bodyToMono(String.class).defaultIfEmpty("").flatMap(text -> {
			JsonNode body;
			try {
				body = this.json.readTree(text);
			}
			catch (JacksonException ex) {
				throw new ApiException(HttpStatus.BAD_REQUEST, "bad-request", "the body is not JSON");
			}
			if (body == null || !body.isObject()) {
				throw new ApiException(HttpStatus.BAD_REQUEST, "bad-request", "the body must be a JSON object with event and data");
			}
			JsonNode event = body.get("event");
			if (event == null || !event.isString() || !Names.isValidEvent(event.stringValue())) {
				throw new ApiException(HttpStatus.BAD_REQUEST, "bad-request", "event must match ^[A-Za-z0-9._:-]{1,64}$");
			}
			String data = body.has("data") ? this.json.writeValueAsString(body.get("data")) : "null";
			if (data.length() > this.maxDataBytes) {
				throw new ApiException(HttpStatus.CONTENT_TOO_LARGE, "too-large", "data is larger than " + this.maxDataBytes + " bytes");
			}
			return this.publisher.publishDurable(new NewEvent(room, event.stringValue(), data, this.clock.millis()));
		})
			.flatMap(stored -> ServerResponse.status(HttpStatus.CREATED)
				.contentType(MediaType.APPLICATION_JSON)
				.bodyValue(Map.of("seq", stored.seq())));
	}

	private Mono<ServerResponse> presence(ServerRequest request) {
		String room = authorizedRoom(request);
		return this.presence.members(room).map(members -> {
			ObjectNode body = this.json.createObjectNode();
			ArrayNode list = body.putArray("members");
			members.forEach((user, connections) -> list.addObject().put("user", user).put("connections", connections));
			return body;
		}).flatMap(body -> ServerResponse.ok().contentType(MediaType.APPLICATION_JSON).bodyValue(body));
	}

	private String authorizedRoom(ServerRequest request) {
		ClientIdentity identity;
		try {
			identity = this.tokens.verify(bearer(request));
		}
		catch (InvalidTokenException ex) {
			throw new ApiException(HttpStatus.UNAUTHORIZED, "unauthorized", ex.getMessage());
		}
		String room = request.pathVariable("room");
		if (!Names.isValidRoom(room)) {
			throw new ApiException(HttpStatus.BAD_REQUEST, "bad-request", "room must match ^[A-Za-z0-9._:-]{1,128}$");
		}
		if (!identity.rooms().allows(room)) {
			throw new ApiException(HttpStatus.FORBIDDEN, "forbidden", "not allowed to use room " + room);
		}
		return room;
	}

	private static String bearer(ServerRequest request) {
		List<String> headers = request.headers().header(HttpHeaders.AUTHORIZATION);
		String header = headers.isEmpty() ? null : headers.get(0);
		return (header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)) ? header.substring(7).trim() : null;
	}

	private static long number(ServerRequest request, String name, long min, long max, long fallback) {
		String value = request.queryParam(name).orElse(null);
		if (value == null) {
			return fallback;
		}
		try {
			long parsed = Long.parseLong(value);
			if (parsed >= min && parsed <= max) {
				return parsed;
			}
		}
		catch (NumberFormatException ignored) {
			// Answered below.
		}
		throw new ApiException(HttpStatus.BAD_REQUEST, "bad-request", name + " must be an integer from " + min + " to " + max);
	}

	private Mono<ServerResponse> problem(ApiException error, ServerRequest request) {
		ObjectNode body = this.json.createObjectNode()
			.put("type", Problems.type(error.type()))
			.put("title", error.status().getReasonPhrase())
			.put("status", error.status().value())
			.put("detail", error.getMessage())
			.put("instance", request.path());
		ServerResponse.BodyBuilder response = ServerResponse.status(error.status()).contentType(MediaType.APPLICATION_PROBLEM_JSON);
		if (error.status() == HttpStatus.UNAUTHORIZED) {
			response.header(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
		}
		return response.bodyValue(body);
	}

}
