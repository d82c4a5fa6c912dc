package io.eventgateway.loadtest;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * {@code --name value} options, with typed reads and defaults: the command line's parser
 * ({@link io.eventgateway.loadtest.cli.CommandLines}) knows the names, each scenario their types and defaults. A name may be given more than once
 * ({@link #all}); a single read takes the last value, as most command lines do.
 */
public final class Options {

	/** Where {@link #secret} looks without {@code --secret}: the variable the gateway reads its secret from. */
	public static final String SECRET_VARIABLE = "GATEWAY_AUTH_JWT_SECRET";

	/** An HS256 key has 256 bits. */
	private static final int MIN_SECRET_BYTES = 32;

	private final Map<String, List<String>> values;

	private final Map<String, String> environment;

	private final Set<String> read = new HashSet<>();

	private Options(Map<String, List<String>> values, Map<String, String> environment) {
		this.values = values;
		this.environment = environment;
	}

	public static Options parse(String... args) {
		return parse(System.getenv(), args);
	}

	/** Options already split by name (a command-line parser's result), with {@code environment} for the secret. */
	public static Options of(Map<String, List<String>> values, Map<String, String> environment) {
		Map<String, List<String>> copy = new LinkedHashMap<>();
		values.forEach((name, given) -> copy.put(name, List.copyOf(given)));
		return new Options(copy, environment);
	}

	/** Options read from {@code args}, falling back to {@code environment} where a read says so. */
	public static Options parse(Map<String, String> environment, String... args) {
		Map<String, List<String>> values = new LinkedHashMap<>();
		for (int i = 0; i < args.length; i++) {
			if (!args[i].startsWith("--") || args[i].length() == 2) {
				throw new UsageException("expected --name value, got " + args[i]);
			}
			if (i + 1 >= args.length) {
				throw new UsageException(args[i] + " needs a value");
			}
			values.computeIfAbsent(args[i].substring(2), name -> new ArrayList<>()).add(args[++i]);
		}
		return new Options(values, environment);
	}

	/**
	 * The gateway's token secret: {@code --secret}, or else {@code GATEWAY_AUTH_JWT_SECRET}, so that
	 * the shell that started the gateway can mint its tokens with no flag. At least 32 bytes.
	 */
	public String secret() {
		String source = "--secret";
		String secret = text("secret", "");
		if (secret.isEmpty()) {
			source = SECRET_VARIABLE;
			secret = this.environment.getOrDefault(SECRET_VARIABLE, "");
		}
		if (secret.isEmpty()) {
			throw new UsageException("no secret: pass --secret or export " + SECRET_VARIABLE
					+ " (the gateway's, at least " + MIN_SECRET_BYTES + " bytes)");
		}
		int bytes = secret.getBytes(StandardCharsets.UTF_8).length;
		if (bytes < MIN_SECRET_BYTES) {
			throw new UsageException(source + " is " + bytes + " bytes; an HS256 secret needs at least "
					+ MIN_SECRET_BYTES + " (openssl rand -hex 32 makes one)");
		}
		return secret;
	}

	public String required(String name) {
		String value = text(name, null);
		if (value == null) {
			throw new UsageException("--" + name + " is required");
		}
		return value;
	}

	public String text(String name, String fallback) {
		List<String> given = all(name);
		return given.isEmpty() ? fallback : given.get(given.size() - 1);
	}

	/** A file to write, as an absolute path, or {@code null} when not given; its folder must exist. */
	public Path outputFile(String name) {
		String value = text(name, null);
		if (value == null) {
			return null;
		}
		Path path = Path.of(value).toAbsolutePath();
		if (!Files.isDirectory(path.getParent())) {
			throw new UsageException("--" + name + ": no folder " + path.getParent());
		}
		return path;
	}

	/** Every value given for a repeatable option, in command-line order. */
	public List<String> all(String name) {
		this.read.add(name);
		return this.values.getOrDefault(name, List.of());
	}

	/** {@code --name true} or {@code --name false}; absent is false. */
	public boolean flag(String name) {
		String value = text(name, "false");
		if (!value.equals("true") && !value.equals("false")) {
			throw new UsageException("--" + name + " takes true or false, got " + value);
		}
		return value.equals("true");
	}

	public boolean has(String name) {
		this.read.add(name);
		return this.values.containsKey(name);
	}

	public int integer(String name, int fallback) {
		String value = text(name, null);
		if (value == null) {
			return fallback;
		}
		try {
			return Integer.parseInt(value.replace("_", ""));
		}
		catch (NumberFormatException ex) {
			throw new UsageException("--" + name + ": not a whole number: " + value);
		}
	}

	/** Like {@link #integer} but at least {@code min}. */
	public int integer(String name, int fallback, int min) {
		int value = integer(name, fallback);
		if (value < min) {
			throw new UsageException("--" + name + " must be at least " + min + ", got " + value);
		}
		return value;
	}

	public Duration duration(String name, Duration fallback) {
		String value = text(name, null);
		return value == null ? fallback : parseDuration(value, "--" + name);
	}

	/** {@code 30s}, {@code 500ms}, {@code 2m}, {@code 1h}. */
	public static Duration parseDuration(String value, String what) {
		try {
			if (value.endsWith("ms")) {
				return Duration.ofMillis(Long.parseLong(value.substring(0, value.length() - 2)));
			}
			long amount = Long.parseLong(value.substring(0, value.length() - 1));
			return switch (value.charAt(value.length() - 1)) {
				case 's' -> Duration.ofSeconds(amount);
				case 'm' -> Duration.ofMinutes(amount);
				case 'h' -> Duration.ofHours(amount);
				default -> throw new UsageException(what + ": use ms, s, m or h, got " + value);
			};
		}
		catch (NumberFormatException | StringIndexOutOfBoundsException ex) {
			throw new UsageException(what + ": not a duration (30s, 500ms, 2m, 1h): " + value);
		}
	}

	/** The shortest form {@link #parseDuration} reads back: {@code 10s}, {@code 500ms}. */
	public static String durationText(Duration duration) {
		return duration.toMillis() % 1000 == 0 ? duration.toSeconds() + "s" : duration.toMillis() + "ms";
	}

	/** Refuses options no one read: a misspelt name would otherwise be silently ignored. */
	public void rejectUnread() {
		Set<String> unread = new TreeSet<>(this.values.keySet());
		unread.removeAll(this.read);
		if (!unread.isEmpty()) {
			throw new UsageException("unknown option(s) for this command: --" + String.join(", --", unread));
		}
	}

}
