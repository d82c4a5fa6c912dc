package io.eventgateway.loadtest.chaos;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import tools.jackson.databind.JsonNode;

/** The HTTP reads a chaos run checks with: a room's stored events, page by page, and its presence. */
final class GatewayApi {

	private static final int PAGE = 100;

	private final HttpClient http;

	private final String token;

	GatewayApi(HttpClient http, String token) {
		this.http = http;
		this.token = token;
	}

	/** Every stored event of the room as (seq, id), read with {@code since} paging. */
	List<Observation.Stored> storedEvents(GatewayInstance instance, String room, History history) throws IOException, InterruptedException {
		List<Observation.Stored> events = new ArrayList<>();
		long since = 0;
		while (true) {
			JsonNode page = get(instance.api("/api/rooms/" + room + "/events?since=" + since + "&limit=" + PAGE));
			for (JsonNode item : page.path("items")) {
				events.add(new Observation.Stored(history.now(), room, item.path("seq").asLong(), item.path("id").asString(null)));
			}
			if (page.path("next").isNull() || page.path("next").isMissingNode() || page.path("items").isEmpty()) {
				return events;
			}
			since = page.path("next").asLong();
		}
	}

	/** User → connections, as the presence API answers. */
	Map<String, Integer> presence(GatewayInstance instance, String room) throws IOException, InterruptedException {
		Map<String, Integer> members = new TreeMap<>();
		for (JsonNode member : get(instance.api("/api/rooms/" + room + "/presence")).path("members")) {
			members.put(member.path("user").asString(), member.path("connections").asInt());
		}
		return members;
	}

	private JsonNode get(URI uri) throws IOException, InterruptedException {
		HttpResponse<String> response = this.http.send(HttpRequest.newBuilder(uri).header("Authorization", "Bearer " + this.token)
			.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
		if (response.statusCode() != 200) {
			throw new IOException("GET " + uri + " answered " + response.statusCode() + ": " + response.body());
		}
		return History.JSON.readTree(response.body());
	}

}
