package io.eventgateway.gateway.redis;

import java.util.ArrayList;
import java.util.List;

import io.eventgateway.core.event.RoomEvent;

/**
 * The form of room events on a Redis channel: one line per event, {@code origin|seq|ts|room|event|data}.
 * Names cannot contain {@code |} (see {@link io.eventgateway.core.event.Names}) and data comes last,
 * so the split is unambiguous without an encoder; data is JSON text, which never holds a raw
 * newline, so several events travel as one message, one per line.
 */
final class BrokerMessageCodec {

	private BrokerMessageCodec() {
	}

	static String encode(String origin, RoomEvent event) {
		return origin + '|' + event.seq() + '|' + event.timestamp() + '|' + event.room() + '|' + event.event() + '|'
				+ event.data();
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
		int[] bars = new int[5];
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
			return new Decoded(origin, new RoomEvent(room, seq, event, message.substring(bars[4] + 1), timestamp));
		}
		catch (NumberFormatException ex) {
			return null;
		}
	}

	record Decoded(String origin, RoomEvent event) {
	}

}
