package io.eventgateway.gateway.websocket;

import java.util.ArrayList;
import java.util.List;

import io.eventgateway.core.event.Names;
import io.eventgateway.core.event.Utf8;
import io.eventgateway.gateway.support.EventData;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * Turns a text frame into requests: one JSON object per line. Every line yields exactly one
 * request, an {@link ClientRequest.Invalid} for anything that breaks the contract, so one bad line
 * never affects the next.
 */
public final class FrameDecoder {

	static final int MAX_REF_LENGTH = 64;

	private final ObjectMapper json;

	private final int maxDataBytes;

	private final int maxRequestsPerFrame;

	public FrameDecoder(ObjectMapper json, int maxDataBytes, int maxRequestsPerFrame) {
		this.json = json;
		this.maxDataBytes = maxDataBytes;
		this.maxRequestsPerFrame = maxRequestsPerFrame;
		// Jackson builds (and caches, under a lock) its tree reader and writer on first use: do it
		// now, not on the event loops when the first clients arrive at once.
		decode("{\"type\":\"publish\",\"room\":\"r\",\"event\":\"e\",\"data\":{\"a\":[1,\"b\",true,null,1.5]}}");
	}

	/**
	 * The requests of one frame, or one {@code too_large} refusal when it carries more than the
	 * limit: counted before anything is parsed, so a frame of thousands of tiny lines costs one scan.
	 */
	public List<ClientRequest> decode(String frame) {
		if (lineCount(frame) > this.maxRequestsPerFrame) {
			return List.of(new ClientRequest.Invalid(null, ErrorCode.TOO_LARGE,
					"a frame may carry at most " + this.maxRequestsPerFrame + " requests; none of them was handled"));
		}
		List<ClientRequest> requests = new ArrayList<>(1);
		int start = 0;
		while (start <= frame.length()) {
			int end = frame.indexOf('\n', start);
			if (end < 0) {
				end = frame.length();
			}
			String line = frame.substring(start, end).strip();
			if (!line.isEmpty()) {
				requests.add(decodeLine(line));
			}
			start = end + 1;
		}
		return requests;
	}

	/** Lines holding more than white space. */
	private static int lineCount(String frame) {
		int lines = 0;
		boolean blank = true;
		for (int i = 0; i < frame.length(); i++) {
			char c = frame.charAt(i);
			if (c == '\n') {
				lines += blank ? 0 : 1;
				blank = true;
			}
			else if (blank && !Character.isWhitespace(c)) {
				blank = false;
			}
		}
		return lines + (blank ? 0 : 1);
	}

	ClientRequest decodeLine(String line) {
		JsonNode message;
		try {
			message = this.json.readTree(line);
		}
		catch (JacksonException | NumberFormatException ex) {
			// Numbers are read as decimals; an exponent past an int (1E+2147483648) fails as a number.
			return invalid(null, "malformed JSON");
		}
		if (message == null || !message.isObject()) {
			return invalid(null, "a message must be a JSON object");
		}
		JsonNode refNode = message.get("ref");
		if (refNode != null && !refNode.isNull() && (!refNode.isString() || refNode.stringValue().length() > MAX_REF_LENGTH)) {
			return invalid(null, "ref must be a string of at most " + MAX_REF_LENGTH + " characters");
		}
		String ref = (refNode == null || refNode.isNull()) ? null : refNode.stringValue();
		JsonNode type = message.get("type");
		if (type == null || !type.isString()) {
			return invalid(ref, "missing field: type");
		}
		return switch (type.stringValue()) {
			case "join" -> join(ref, message);
			case "leave" -> leave(ref, message);
			case "publish" -> publish(ref, message);
			case "ping" -> new ClientRequest.Ping(ref);
			case "refresh" -> refresh(ref, message);
			default -> invalid(ref, "unknown type: " + abbreviate(type.stringValue()));
		};
	}

	private ClientRequest join(String ref, JsonNode message) {
		String room = text(message, "room");
		ClientRequest.Invalid badRoom = checkRoom(ref, room);
		if (badRoom != null) {
			return badRoom;
		}
		JsonNode since = message.get("since");
		if (since != null && !since.isNull() && !(since.isIntegralNumber() && since.canConvertToLong() && since.longValue() >= 0)) {
			return invalid(ref, "since must be a non-negative integer");
		}
		JsonNode epoch = message.get("epoch");
		if (epoch != null && !epoch.isNull() && !epoch.isString()) {
			return invalid(ref, "epoch must be a string");
		}
		return new ClientRequest.Join(ref, room, (since == null || since.isNull()) ? null : since.longValue(),
				(epoch == null || epoch.isNull()) ? null : epoch.stringValue());
	}

	private static ClientRequest refresh(String ref, JsonNode message) {
		String token = text(message, "token");
		if (token == null || token.isBlank()) {
			return invalid(ref, "missing field: token");
		}
		return new ClientRequest.Refresh(ref, token);
	}

	private ClientRequest leave(String ref, JsonNode message) {
		String room = text(message, "room");
		ClientRequest.Invalid badRoom = checkRoom(ref, room);
		if (badRoom != null) {
			return badRoom;
		}
		return new ClientRequest.Leave(ref, room);
	}

	private ClientRequest publish(String ref, JsonNode message) {
		String room = text(message, "room");
		ClientRequest.Invalid badRoom = checkRoom(ref, room);
		if (badRoom != null) {
			return badRoom;
		}
		String event = text(message, "event");
		if (event == null) {
			return invalid(ref, "missing field: event");
		}
		if (!Names.isValidEvent(event)) {
			return invalid(ref, "bad event name");
		}
		JsonNode idNode = message.get("id");
		if (idNode != null && !idNode.isNull() && !(idNode.isString() && Names.isValidEventId(idNode.stringValue()))) {
			return invalid(ref, "id must match ^[A-Za-z0-9._:-]{1,64}$");
		}
		JsonNode isVolatile = message.get("volatile");
		if (isVolatile != null && !isVolatile.isNull() && !isVolatile.isBoolean()) {
			return invalid(ref, "volatile must be true or false");
		}
		JsonNode dataNode = message.get("data");
		String data = EventData.toJson(this.json, dataNode);
		if (Utf8.length(data) > this.maxDataBytes) {
			return new ClientRequest.Invalid(ref, ErrorCode.TOO_LARGE, "data is larger than " + this.maxDataBytes + " bytes");
		}
		return new ClientRequest.Publish(ref, room, event, data, isVolatile != null && isVolatile.asBoolean(),
				(idNode == null || idNode.isNull()) ? null : idNode.stringValue());
	}

	private static ClientRequest.Invalid checkRoom(String ref, String room) {
		if (room == null) {
			return invalid(ref, "missing field: room");
		}
		return Names.isValidRoom(room) ? null : invalid(ref, "bad room name");
	}

	private static String text(JsonNode message, String field) {
		JsonNode value = message.get(field);
		return (value != null && value.isString()) ? value.stringValue() : null;
	}

	private static ClientRequest.Invalid invalid(String ref, String message) {
		return new ClientRequest.Invalid(ref, ErrorCode.BAD_REQUEST, message);
	}

	private static String abbreviate(String value) {
		return value.length() <= 32 ? value : value.substring(0, 32) + "…";
	}

}
