package io.eventgateway.core.event;

import java.nio.charset.StandardCharsets;

/**
 * Writes the {@code event} message of the wire contract. Names and ids are plain by construction
 * (see {@link Names}) and {@code data} is stored as JSON text, so concatenation is a correct
 * encoder; only {@code from}, a token's {@code sub}, is escaped.
 */
final class EventWireFormat {

	private EventWireFormat() {
	}

	private static final byte[] PREFIX = "{\"type\":\"event\"".getBytes(StandardCharsets.US_ASCII);

	static boolean isEvent(byte[] line) {
		if (line.length < PREFIX.length) {
			return false;
		}
		for (int i = 0; i < PREFIX.length; i++) {
			if (line[i] != PREFIX[i]) {
				return false;
			}
		}
		return true;
	}

	static byte[] encode(RoomEvent event) {
		StringBuilder json = new StringBuilder(64 + event.room().length() + event.data().length());
		json.append("{\"type\":\"event\",\"room\":\"").append(event.room()).append('"');
		if (event.isDurable()) {
			json.append(",\"seq\":").append(event.seq());
		}
		if (event.id() != null) {
			json.append(",\"id\":\"").append(event.id()).append('"');
		}
		if (event.from() != null) {
			appendString(json.append(",\"from\":"), event.from());
		}
		json.append(",\"event\":\"").append(event.event()).append("\",\"data\":").append(event.data());
		json.append(",\"ts\":").append(event.timestamp()).append('}');
		return json.toString().getBytes(StandardCharsets.UTF_8);
	}

	// A user name is any text a token's sub holds: escaped as JSON requires.
	private static void appendString(StringBuilder json, String text) {
		json.append('"');
		for (int i = 0; i < text.length(); i++) {
			char c = text.charAt(i);
			if (c == '"' || c == '\\') {
				json.append('\\').append(c);
			}
			else if (c < 0x20 || c == 0x2028 || c == 0x2029) {
				json.append(String.format("\\u%04x", (int) c));
			}
			else {
				json.append(c);
			}
		}
		json.append('"');
	}

}
