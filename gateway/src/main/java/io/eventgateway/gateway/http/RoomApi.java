package io.eventgateway.gateway.http;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Map;

import io.eventgateway.core.event.Names;
import io.eventgateway.core.event.RoomEvent;
import io.eventgateway.core.publish.EventPublisher;
import io.eventgateway.core.room.Presence;
import io.eventgateway.core.store.EventStore;
import io.eventgateway.core.store.NewEvent;
import io.eventgateway.core.auth.ClientIdentity;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;
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

	private final ApiRequests requests;

	private final EventStore store;

	private final EventPublisher publisher;

	private final Presence presence;

	private final ObjectMapper json;

	private final int maxDataBytes;

	private final Clock clock;

	public RoomApi(ApiRequests requests, EventStore store, EventPublisher publisher, Presence presence, ObjectMapper json,
			int maxDataBytes, Clock clock) {
		this.requests = requests;
		this.store = store;
		this.publisher = publisher;
		this.presence = presence;
		this.json = json;
		this.maxDataBytes = maxDataBytes;
		this.clock = clock;
	}

	public RouterFunction<ServerResponse> routes() {
		return RouterFunctions.route()
			.GET("/api/rooms/{room}/events", this::history)
			.POST("/api/rooms/{room}/events", this::publish)
			.GET("/api/rooms/{room}/presence", this::presence)
			.build();
	}

	/** Durable events with {@code seq > since}, oldest first; {@code next} is the since of the next page. */
	private Mono<ServerResponse> history(ServerRequest request) {
		String room = authorizedRoom(request);
		long since = ApiRequests.number(request, "since", 0, Long.MAX_VALUE, 0);
		int limit = (int) ApiRequests.number(request, "limit", 1, MAX_LIMIT, DEFAULT_LIMIT);
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
		return this.requests.jsonBody(request).flatMap(body -> {
			if (!body.isObject()) {
				throw new ApiException(HttpStatus.BAD_REQUEST, "bad-request", "the body must be a JSON object with event and data");
			}
			JsonNode event = body.get("event");
			if (event == null || !event.isString() || !Names.isValidEvent(event.stringValue())) {
				throw new ApiException(HttpStatus.BAD_REQUEST, "bad-request", "event must match ^[A-Za-z0-9._:-]{1,64}$");
			}
			if (Names.isServerEvent(event.stringValue())) {
				throw new ApiException(HttpStatus.FORBIDDEN, "forbidden", event.stringValue() + " is an event only the server publishes");
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
		ClientIdentity identity = this.requests.identity(request);
		String room = request.pathVariable("room");
		if (!Names.isValidRoom(room)) {
			throw new ApiException(HttpStatus.BAD_REQUEST, "bad-request", "room must match ^[A-Za-z0-9._:-]{1,128}$");
		}
		if (!identity.rooms().allows(room)) {
			throw new ApiException(HttpStatus.FORBIDDEN, "forbidden", "not allowed to use room " + room);
		}
		return room;
	}

}
