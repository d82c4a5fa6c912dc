package io.eventgateway.core.event;

/** Sizes of text as it travels: in UTF-8 bytes, not in Java's UTF-16 units. */
public final class Utf8 {

	private Utf8() {
	}

	/** The UTF-8 length of the text, counted without encoding it; a lone surrogate counts as the encoder's {@code ?}. */
	public static long length(CharSequence text) {
		long bytes = 0;
		for (int i = 0; i < text.length(); i++) {
			char c = text.charAt(i);
			if (c < 0x80) {
				bytes += 1;
			}
			else if (c < 0x800) {
				bytes += 2;
			}
			else if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
				bytes += 4;
				i++;
			}
			else if (Character.isSurrogate(c)) {
				bytes += 1;
			}
			else {
				bytes += 3;
			}
		}
		return bytes;
	}

	/** Whether UTF-8 can carry the text unchanged: it holds no lone surrogate. */
	public static boolean isEncodable(CharSequence text) {
		return firstLoneSurrogate(text, 0) < 0;
	}

	/**
	 * JSON text with every lone surrogate written as a JSON escape (backslash, {@code u}, four hex digits). UTF-8 cannot carry a
	 * lone surrogate (an encoder writes {@code ?}); in JSON text one can stand only inside a string,
	 * where the escape is the same value, so the text travels and is stored without loss.
	 */
	public static String escapeLoneSurrogates(String json) {
		int at = firstLoneSurrogate(json, 0);
		if (at < 0) {
			return json;
		}
		StringBuilder escaped = new StringBuilder(json.length() + 12);
		int from = 0;
		while (at >= 0) {
			escaped.append(json, from, at).append(String.format("\\u%04x", (int) json.charAt(at)));
			from = at + 1;
			at = firstLoneSurrogate(json, from);
		}
		return escaped.append(json, from, json.length()).toString();
	}

	private static int firstLoneSurrogate(CharSequence text, int from) {
		for (int i = from; i < text.length(); i++) {
			char c = text.charAt(i);
			if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
				i++;
			}
			else if (Character.isSurrogate(c)) {
				return i;
			}
		}
		return -1;
	}

}
