package io.eventgateway.core.event;

import java.nio.charset.StandardCharsets;

/**
 * Writes the {@code event} message of the wire contract. Names are plain by construction (see
 * {@link Names}) and {@code data} is stored as JSON text, so concatenation is a correct encoder.
 */
final class EventWireFormat {

	private EventWireFormat() {
	}

	static byte[] encode(RoomEvent event) {
		StringBuilder json = new StringBuilder(64 + event.room().length() + event.data().length());
		json.append("{\"type\":\"event\",\"room\":\"").append(event.room()).append('"');
		if (event.isDurable()) {
			json.append(",\"seq\":").append(event.seq());
		}
		json.append(",\"event\":\"").append(event.event()).append("\",\"data\":").append(event.data());
		json.append(",\"ts\":").append(event.timestamp()).append('}');
		return json.toString().getBytes(StandardCharsets.UTF_8);
	}

}
