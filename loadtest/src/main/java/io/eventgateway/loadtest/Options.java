package io.eventgateway.loadtest;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/** {@code --name value} options, with typed reads and defaults. */
final class Options {

	private final Map<String, String> values;

	private Options(Map<String, String> values) {
		this.values = values;
	}

	static Options parse(String[] args) {
		Map<String, String> values = new HashMap<>();
		for (int i = 0; i < args.length; i++) {
			if (!args[i].startsWith("--") || i + 1 >= args.length) {
				throw new IllegalArgumentException("expected --name value, got " + args[i]);
			}
			values.put(args[i].substring(2), args[++i]);
		}
		return new Options(values);
	}

	String required(String name) {
		String value = this.values.get(name);
		if (value == null) {
			throw new IllegalArgumentException("--" + name + " is required");
		}
		return value;
	}

	String text(String name, String fallback) {
		return this.values.getOrDefault(name, fallback);
	}

	int integer(String name, int fallback) {
		return this.values.containsKey(name) ? Integer.parseInt(this.values.get(name)) : fallback;
	}

	/** {@code 30s}, {@code 500ms}, {@code 2m}, {@code 1h}. */
	Duration duration(String name, Duration fallback) {
		String value = this.values.get(name);
		if (value == null) {
			return fallback;
		}
		if (value.endsWith("ms")) {
			return Duration.ofMillis(Long.parseLong(value.substring(0, value.length() - 2)));
		}
		long amount = Long.parseLong(value.substring(0, value.length() - 1));
		return switch (value.charAt(value.length() - 1)) {
			case 's' -> Duration.ofSeconds(amount);
			case 'm' -> Duration.ofMinutes(amount);
			case 'h' -> Duration.ofHours(amount);
			default -> throw new IllegalArgumentException("--" + name + ": use s, ms, m or h, got " + value);
		};
	}

}
