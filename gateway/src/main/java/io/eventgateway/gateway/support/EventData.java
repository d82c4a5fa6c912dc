package io.eventgateway.gateway.support;

import io.eventgateway.core.event.Utf8;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * The {@code data} of a publish as the JSON text that is stored and sent: an absent value is
 * {@code null}, and a string's lone surrogate stays an escape, so what comes back is what was sent.
 */
public final class EventData {

	private EventData() {
	}

	public static String toJson(ObjectMapper json, JsonNode data) {
		return (data == null) ? "null" : Utf8.escapeLoneSurrogates(json.writeValueAsString(data));
	}

}
