package io.eventgateway.gateway.websocket;

import java.nio.charset.StandardCharsets;

import io.eventgateway.core.store.RoomPosition;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ObjectNode;

/** Encodes the server's replies as single JSON lines. Events are encoded by the core, once. */
public final class ServerMessages {

	private final ObjectMapper json;

	public ServerMessages(ObjectMapper json) {
		this.json = json;
		// Jackson builds its tree writer on first use, under a lock: not on the event loops.
		pong("warm-up");
	}

	public byte[] joined(String ref, String room, RoomPosition position, Boolean recovered) {
		ObjectNode message = message("joined", ref).put("room", room).put("seq", position.seq())
			.put("epoch", position.epoch());
		if (recovered != null) {
			message.put("recovered", recovered);
		}
		return bytes(message);
	}

	public byte[] ack(String ref, String room, Long seq) {
		return ack(ref, room, seq, false);
	}

	/** @param duplicate the publish repeated an id the room holds: {@code seq} is the first event's */
	public byte[] ack(String ref, String room, Long seq, boolean duplicate) {
		if (ref != null && isPlain(ref)) {
			return plainAck(ref, room, seq, duplicate);
		}
		ObjectNode message = message("ack", ref).put("room", room);
		if (seq != null) {
			message.put("seq", seq);
		}
		if (duplicate) {
			message.put("duplicate", true);
		}
		return bytes(message);
	}

	/** @param exp the token's {@code exp}, in epoch seconds */
	public byte[] expiring(long exp) {
		return bytes(message("expiring", null).put("exp", exp));
	}

	public byte[] refreshed(String ref, long exp) {
		return bytes(message("refreshed", ref).put("exp", exp));
	}

	/** A room the connection was made to leave, and why ({@code forbidden}: its new token does not allow it). */
	public byte[] left(String ref, String room, String reason) {
		return bytes(message("left", ref).put("room", room).put("reason", reason));
	}

	public byte[] left(String ref, String room) {
		return bytes(message("left", ref).put("room", room));
	}

	public byte[] pong(String ref) {
		return bytes(message("pong", ref));
	}

	public byte[] error(String ref, ErrorCode code, String text) {
		return bytes(message("error", ref).put("code", code.wire()).put("message", text));
	}

	/**
	 * The ack of every publish, written without building a tree: the same bytes Jackson writes. The
	 * room is a valid name (plain by construction, see {@code Names}); only a plain ref takes this way.
	 */
	private static byte[] plainAck(String ref, String room, Long seq, boolean duplicate) {
		StringBuilder json = new StringBuilder(48 + ref.length() + room.length());
		json.append("{\"type\":\"ack\",\"ref\":\"").append(ref).append("\",\"room\":\"").append(room).append('"');
		if (seq != null) {
			json.append(",\"seq\":").append(seq.longValue());
		}
		if (duplicate) {
			json.append(",\"duplicate\":true");
		}
		return json.append('}').toString().getBytes(StandardCharsets.US_ASCII);
	}

	/** Printable ASCII that JSON writes as it is: no quote, no backslash, no control character. */
	private static boolean isPlain(String text) {
		for (int i = 0; i < text.length(); i++) {
			char c = text.charAt(i);
			if (c < 0x20 || c > 0x7e || c == '"' || c == '\\') {
				return false;
			}
		}
		return true;
	}

	private ObjectNode message(String type, String ref) {
		ObjectNode message = this.json.createObjectNode().put("type", type);
		if (ref != null) {
			message.put("ref", ref);
		}
		return message;
	}

	private byte[] bytes(ObjectNode message) {
		return this.json.writeValueAsBytes(message);
	}

}
