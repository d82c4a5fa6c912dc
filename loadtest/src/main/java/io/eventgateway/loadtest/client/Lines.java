package io.eventgateway.loadtest.client;

/** Cheap reads of the few fields the generator needs from a server message, without a JSON tree. */
public final class Lines {

	private Lines() {
	}

	public static boolean isType(String line, String type) {
		return line.startsWith("{\"type\":\"" + type + "\"");
	}

	/** The number after {@code "name":}, or -1. */
	public static long number(String line, String name) {
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
	public static String text(String line, String name) {
		int at = line.indexOf("\"" + name + "\":\"");
		if (at < 0) {
			return null;
		}
		int start = at + name.length() + 4;
		return line.substring(start, line.indexOf('"', start));
	}

	/** Whether {@code "name":value} is present with exactly that literal value ({@code true}, {@code false}, a number). */
	public static boolean has(String line, String name, String literal) {
		return line.contains("\"" + name + "\":" + literal);
	}

}
