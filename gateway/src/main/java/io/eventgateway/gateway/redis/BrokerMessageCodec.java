package io.eventgateway.gateway.redis;

import java.util.ArrayList;
import java.util.List;

import io.eventgateway.core.event.RoomEvent;

/**
 * The form of room events on a Redis channel: one line per event,
 * {@code origin|seq|ts|room|event|id|from|data}. Names and ids cannot contain {@code |} (see
 * {@link io.eventgateway.core.event.Names}), {@code from} (any text) has {@code %}, {@code |} and
 * line breaks escaped, and data comes last, so the split is unambiguous; data is JSON text, which
 * never holds a raw newline, so several events travel as one message, one per line. An absent id
 * or from is empty.
 */
final class BrokerMessageCodec {

	private static final int FIELDS_BEFORE_DATA = 7;

	private BrokerMessageCodec() {
	}

	static String encode(String origin, RoomEvent event) {
		return origin + '|' + event.seq() + '|' + event.timestamp() + '|' + event.room() + '|' + event.event() + '|'
				+ (event.id() == null ? "" : event.id()) + '|' + escape(event.from()) + '|' + event.data();
	}

	static String encodeAll(String origin, List<RoomEvent> events) {
		StringBuilder message = new StringBuilder();
		for (RoomEvent event : events) {
			if (message.length() > 0) {
				message.append('\n');
			}
			message.append(encode(origin, event));
		}
		return message.toString();
	}

	/** Every event of a message, in order; lines that are not events are skipped. */
	static List<Decoded> decodeAll(String message) {
		List<Decoded> events = new ArrayList<>(1);
		int start = 0;
		while (start < message.length()) {
			int end = message.indexOf('\n', start);
			if (end < 0) {
				end = message.length();
			}
			Decoded decoded = decode(message.substring(start, end));
			if (decoded != null) {
				events.add(decoded);
			}
			start = end + 1;
		}
		return events;
	}

	/** The event, or {@code null} for a line that is not one (never sent by a gateway). */
	static Decoded decode(String message) {
		int[] bars = new int[FIELDS_BEFORE_DATA];
		int from = 0;
		for (int i = 0; i < bars.length; i++) {
			bars[i] = message.indexOf('|', from);
			if (bars[i] < 0) {
				return null;
			}
			from = bars[i] + 1;
		}
		try {
			String origin = message.substring(0, bars[0]);
			long seq = Long.parseLong(message, bars[0] + 1, bars[1], 10);
			long timestamp = Long.parseLong(message, bars[1] + 1, bars[2], 10);
			String room = message.substring(bars[2] + 1, bars[3]);
			String event = message.substring(bars[3] + 1, bars[4]);
			String id = (bars[5] == bars[4] + 1) ? null : message.substring(bars[4] + 1, bars[5]);
			String user = unescape(message.substring(bars[5] + 1, bars[6]));
			return new Decoded(origin,
					new RoomEvent(room, seq, event, message.substring(bars[6] + 1), timestamp, id, user));
		}
		catch (IllegalArgumentException ex) {
			return null;
		}
	}

	private static String escape(String text) {
		if (text == null) {
			return "";
		}
		StringBuilder escaped = new StringBuilder(text.length() + 1).append('=');
		for (int i = 0; i < text.length(); i++) {
			char c = text.charAt(i);
			switch (c) {
				case '%' -> escaped.append("%25");
				case '|' -> escaped.append("%7C");
				case '\n' -> escaped.append("%0A");
				case '\r' -> escaped.append("%0D");
				default -> escaped.append(c);
			}
		}
		return escaped.toString();
	}

	// "" is no user; "=" begins one (so an empty user name is told from none).
	private static String unescape(String text) {
		if (text.isEmpty()) {
			return null;
		}
		if (text.charAt(0) != '=') {
			throw new IllegalArgumentException("not a user field");
		}
		StringBuilder plain = new StringBuilder(text.length());
		for (int i = 1; i < text.length(); i++) {
			char c = text.charAt(i);
			if (c == '%' && i + 2 < text.length()) {
				plain.append((char) Integer.parseInt(text, i + 1, i + 3, 16));
				i += 2;
			}
			else {
				plain.append(c);
			}
		}
		return plain.toString();
	}

	record Decoded(String origin, RoomEvent event) {
	}

}
