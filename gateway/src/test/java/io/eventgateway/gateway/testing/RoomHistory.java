package io.eventgateway.gateway.testing;

import java.util.ArrayList;
import java.util.List;

import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/** A room's whole history as {@code GET /api/rooms/{room}/events} pages it, oldest first. */
public final class RoomHistory {

	private RoomHistory() {
	}

	public static List<JsonNode> read(int port, String room, String token) {
		List<JsonNode> items = new ArrayList<>();
		long since = 0;
		while (true) {
			HttpCall.Answer page = HttpCall.to(port, "GET", "/api/rooms/" + room + "/events?since=" + since + "&limit=1000")
				.token(token)
				.send();
			assertThat(page.status()).as(page.body().toString()).isEqualTo(200);
			page.body().path("items").forEach(items::add);
			JsonNode next = page.body().path("next");
			if (next.isNull() || next.isMissingNode()) {
				return items;
			}
			assertThat(next.asLong()).as("next page").isGreaterThan(since);
			since = next.asLong();
		}
	}

}
