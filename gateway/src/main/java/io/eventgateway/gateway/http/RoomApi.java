package io.eventgateway.gateway.http;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Map;

import io.eventgateway.core.event.Names;
import io.eventgateway.core.event.RoomEvent;
import io.eventgateway.core.event.Utf8;
import io.eventgateway.core.publish.EventPublisher;
import io.eventgateway.core.room.Presence;
import io.eventgateway.core.store.EventStore;
import io.eventgateway.core.store.RoomPosition;
import io.eventgateway.core.store.NewEvent;
import io.eventgateway.core.auth.ClientIdentity;
import io.eventgateway.gateway.support.EventData;
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

	private final int maxPageBytes;

	private final Clock clock;

	/**
	 * @param maxPageBytes a history page ends before the event that would make it larger
	 */
	public RoomApi(ApiRequests requests, EventStore store, EventPublisher publisher, Presence presence, ObjectMapper json,
			int maxDataBytes, int maxPageBytes, Clock clock) {
		this.requests = requests;
		this.store = store;
		this.publisher = publisher;
		this.presence = presence;
		this.json = json;
		this.maxDataBytes = maxDataBytes;
		this.maxPageBytes = maxPageBytes;
		this.clock = clock;
	}

	public RouterFunction<ServerResponse> routes() {
		return RouterFunctions.route()
			.GET("/api/rooms/{room}/events", this::history)
			.POST("/api/rooms/{room}/events", this::publish)
			.GET("/api/rooms/{room}/presence", this::presence)
			.build();
	}

	/**
	 * Durable events with {@code seq > since}, oldest first, at most {@code limit} of them and at most
	 * the page size in bytes; {@code next} is the since of the next page. Reading stops at the event
	 * that does not fit, so a page of large events never holds more than one beyond the bound.
	 */
	private Mono<ServerResponse> history(ServerRequest request) {
		String room = authorizedRoom(request, false);
		long since = ApiRequests.number(request, "since", 0, Long.MAX_VALUE, 0);
		int limit = (int) ApiRequests.number(request, "limit", 1, MAX_LIMIT, DEFAULT_LIMIT);
		return this.store.position(room).flatMap(position -> {
			HistoryPage page = new HistoryPage(this.maxPageBytes);
			return this.store.read(room, since, position.seq(), limit)
				.takeWhile(page::add)
				.then(Mono.fromSupplier(() -> page.body(since, limit, position)));
		}).flatMap(body -> ServerResponse.ok().contentType(MediaType.APPLICATION_JSON).bodyValue(body));
	}

	/** The items of one history page, filled until the next event would not fit. */
	private static final class HistoryPage {

		private final int maxBytes;

		private final StringBuilder items = new StringBuilder();

		private int count;

		private long bytes;

		private long last;

		private boolean full;

		HistoryPage(int maxBytes) {
			this.maxBytes = maxBytes;
		}

		boolean add(RoomEvent event) {
			byte[] wire = event.wire();
			if (this.count > 0 && this.bytes + wire.length + 1 > this.maxBytes) {
				this.full = true;
				return false;
			}
			this.items.append(this.count == 0 ? "" : ",").append(new String(wire, StandardCharsets.UTF_8));
			this.count++;
			this.bytes += wire.length + 1;
			this.last = event.seq();
			return true;
		}

		String body(long since, int limit, RoomPosition position) {
			long through = (this.count == 0) ? since : this.last;
			boolean more = (this.full || this.count == limit) && through < position.seq();
			return "{\"items\":[" + this.items + "],\"next\":" + (more ? String.valueOf(through) : "null") + ",\"seq\":"
					+ position.seq() + ",\"epoch\":\"" + position.epoch() + "\"}";
		}

	}

	/**
	 * Publishes a durable event. With an {@code Idempotency-Key} (the event's id) a repeat is not
	 * stored again: it is answered 200 with the first event's {@code seq} instead of 201.
	 */
	private Mono<ServerResponse> publish(ServerRequest request) {
		String room = authorizedRoom(request, true);
		String from = this.requests.identity(request).user();
		String id = ApiRequests.idempotencyKey(request);
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
			String data = EventData.toJson(this.json, body.get("data"));
			if (Utf8.length(data) > this.maxDataBytes) {
				throw new ApiException(HttpStatus.CONTENT_TOO_LARGE, "too-large", "data is larger than " + this.maxDataBytes + " bytes");
			}
			return this.publisher.publishDurable(new NewEvent(room, event.stringValue(), data, this.clock.millis(), id, from));
		})
			.flatMap(stored -> ServerResponse.status(stored.duplicate() ? HttpStatus.OK : HttpStatus.CREATED)
				.contentType(MediaType.APPLICATION_JSON)
				.bodyValue(Map.of("seq", stored.event().seq())));
	}

	private Mono<ServerResponse> presence(ServerRequest request) {
		String room = authorizedRoom(request, false);
		return this.presence.members(room).map(members -> {
			ObjectNode body = this.json.createObjectNode();
			ArrayNode list = body.putArray("members");
			members.forEach((user, connections) -> list.addObject().put("user", user).put("connections", connections));
			return body;
		}).flatMap(body -> ServerResponse.ok().contentType(MediaType.APPLICATION_JSON).bodyValue(body));
	}

	/** @param publishing whether the request publishes (a read-only room allows reading only) */
	private String authorizedRoom(ServerRequest request, boolean publishing) {
		ClientIdentity identity = this.requests.identity(request);
		String room = request.pathVariable("room");
		if (!Names.isValidRoom(room)) {
			throw new ApiException(HttpStatus.BAD_REQUEST, "bad-request", "room must match ^[A-Za-z0-9._:-]{1,128}$");
		}
		if (!identity.rooms().mayJoin(room)) {
			throw new ApiException(HttpStatus.FORBIDDEN, "forbidden", "not allowed to use room " + room);
		}
		if (publishing && !identity.rooms().mayPublish(room)) {
			throw new ApiException(HttpStatus.FORBIDDEN, "forbidden", room + " is read-only for this token");
		}
		return room;
	}

}
