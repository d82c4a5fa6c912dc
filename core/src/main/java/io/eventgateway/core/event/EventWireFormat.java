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

	private static final byte[] TS_KEY = ",\"ts\":".getBytes(StandardCharsets.US_ASCII);

	/** The {@code ts} of an {@code event} line, read from its end where {@link #encode} puts it; -1 when there is none. */
	static long timestamp(byte[] line) {
		int end = line.length - 1;
		if (end < 0 || line[end] != '}') {
			return -1;
		}
		int start = end;
		while (start > 0 && line[start - 1] >= '0' && line[start - 1] <= '9') {
			start--;
		}
		if (start == end || start < TS_KEY.length) {
			return -1;
		}
		for (int i = 0; i < TS_KEY.length; i++) {
			if (line[start - TS_KEY.length + i] != TS_KEY[i]) {
				return -1;
			}
		}
		long ts = 0;
		for (int i = start; i < end; i++) {
			ts = ts * 10 + (line[i] - '0');
		}
		return ts;
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
