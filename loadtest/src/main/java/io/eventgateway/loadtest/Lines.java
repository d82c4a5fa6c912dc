package io.eventgateway.loadtest;

/** Cheap reads of the few fields the generator needs from a server message, without a JSON tree. */
final class Lines {

	private Lines() {
	}

	static boolean isType(String line, String type) {
		return line.startsWith("{\"type\":\"" + type + "\"");
	}

	/** The number after {@code "name":}, or -1. */
	static long number(String line, String name) {
		int at = line.indexOf("\"" + name + "\":");
		if (at < 0) {
			return -1;
		}
		int start = at + name.length() + 3;
		int end = start;
		while (end < line.length() && Character.isDigit(line.charAt(end))) {
			end++;
		}
		return end == start ? -1 : Long.parseLong(line, start, end, 10);
	}

	/** The string after {@code "name":"}, or {@code null}. */
	static String text(String line, String name) {
		int at = line.indexOf("\"" + name + "\":\"");
		if (at < 0) {
			return null;
		}
		int start = at + name.length() + 4;
		return line.substring(start, line.indexOf('"', start));
	}

}
