package io.eventgateway.gateway.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code docs/CONFIGURATION.md}, written from the configuration metadata that the build makes of
 * {@link GatewayProperties} and its Javadoc: every property with its environment variable, its default
 * and its description, Javadoc markup turned into Markdown.
 */
final class ConfigurationReference {

	/** The metadata file, relative to the gateway module, as the configuration processor writes it. */
	static final Path METADATA = Path.of("target/classes/META-INF/spring-configuration-metadata.json");

	/** The reference, relative to the gateway module. */
	static final Path DOCUMENT = Path.of("../docs/CONFIGURATION.md");

	static final String WRITE_PROPERTY = "configuration.reference.write";

	static final String REGENERATE = "./mvnw -q -pl gateway -am test -Dtest=ConfigurationReferenceTests "
			+ "-Dsurefire.failIfNoSpecifiedTests=false -D" + WRITE_PROPERTY + "=true";

	// The closing sentence a property's Javadoc states its default in: "Default 24h."
	private static final Pattern STATED_DEFAULT = Pattern.compile("\\s*Default ([^\\s]+)\\.$");

	private static final Pattern CODE = Pattern.compile("\\{@(?:code|literal) ([^}]*)}");

	private static final Pattern LINK = Pattern.compile("\\{@link(?:plain)? ([^}\\s]+)(?: ([^}]*))?}");

	private static final Pattern TAG = Pattern.compile("</?[A-Za-z][^>]*>");

	private ConfigurationReference() {
	}

	/** The Markdown reference for the metadata in {@code metadata}. */
	static String render(Path metadata) {
		Map<String, List<JsonNode>> sections = new TreeMap<>();
		for (JsonNode property : properties(metadata)) {
			String name = property.path("name").asString();
			sections.computeIfAbsent(name.substring(0, name.lastIndexOf('.')), section -> new ArrayList<>()).add(property);
		}

		StringBuilder out = new StringBuilder();
		out.append("# Configuration reference\n\n");
		out.append("Every setting of the gateway, with its default. Set one in `application.yml`, as a command-line\n");
		out.append("argument (`--gateway.ws.max-connections=50000`) or as an environment variable (the name in capitals,\n");
		out.append("`_` for `.` and `-`: `GATEWAY_WS_MAX_CONNECTIONS=50000`). Durations read `500ms`, `10s`, `5m`, `24h`;\n");
		out.append("sizes `16KB`, `1MB`. A bad value stops the gateway at start-up with a message naming the property.\n");
		out.append("Spring Boot's own settings (`server.port`, `management.server.port`, `logging.level.*`) work as\n");
		out.append("Spring Boot documents them.\n\n");
		out.append("This page is generated from the Javadoc of `GatewayProperties`; a test fails when it is out of\n");
		out.append("step. After changing a property, regenerate it with\n\n");
		out.append("```bash\n").append(REGENERATE).append("\n```\n");
		sections.forEach((section, properties) -> {
			out.append("\n## `").append(section).append("`\n\n");
			out.append("| property | environment | default | description |\n");
			out.append("|---|---|---|---|\n");
			for (JsonNode property : properties) {
				row(property, out);
			}
		});
		return out.toString();
	}

	static List<String> propertyNames(Path metadata) {
		return properties(metadata).stream().map(property -> property.path("name").asString()).toList();
	}

	private static List<JsonNode> properties(Path metadata) {
		try {
			List<JsonNode> properties = new ArrayList<>();
			JsonMapper.builder().build().readTree(Files.readString(metadata)).path("properties").forEach(properties::add);
			return properties;
		}
		catch (IOException ex) {
			throw new UncheckedIOException("no configuration metadata at " + metadata.toAbsolutePath()
					+ " (it is written when the gateway module compiles)", ex);
		}
	}

	private static void row(JsonNode property, StringBuilder out) {
		String name = property.path("name").asString();
		String description = markdown(property.path("description").asString(""));
		if (description.isEmpty()) {
			throw new IllegalStateException(name + " has no description: document it in the Javadoc of GatewayProperties");
		}
		String defaultValue = property.has("defaultValue") ? text(property.get("defaultValue")) : null;
		Matcher stated = STATED_DEFAULT.matcher(description);
		if (stated.find()) {
			// The default column says it; a stated default the binding does not have is a mistake to fix.
			if (!stated.group(1).equals(defaultValue)) {
				throw new IllegalStateException(name + ": the Javadoc says the default is " + stated.group(1)
						+ ", the binding says " + defaultValue);
			}
			description = description.substring(0, stated.start());
		}
		JsonNode deprecation = property.path("deprecation");
		if (!deprecation.isMissingNode()) {
			description += " Deprecated" + (deprecation.has("replacement")
					? ": use `" + deprecation.path("replacement").asString() + "` instead." : ".");
		}
		out.append("| `").append(name).append("` | `").append(environmentVariable(name)).append("` | ")
			.append(defaultValue == null ? "*unset*" : "`" + defaultValue + "`").append(" | ")
			.append(capitalized(description).replace("|", "\\|")).append(" |\n");
	}

	/** Spring Boot binds this form too: dots and dashes as underscores, in capitals. */
	static String environmentVariable(String name) {
		return name.replace('.', '_').replace('-', '_').toUpperCase(Locale.ROOT);
	}

	/** Javadoc text as Markdown: code and links as code, HTML tags and entities gone. */
	static String markdown(String javadoc) {
		String text = CODE.matcher(javadoc).replaceAll(match -> Matcher.quoteReplacement("`" + match.group(1) + "`"));
		text = LINK.matcher(text).replaceAll(match -> Matcher.quoteReplacement(match.group(2) != null
				? match.group(2) : "`" + match.group(1).replaceFirst("^#", "").replace('#', '.') + "`"));
		text = TAG.matcher(text).replaceAll(" ");
		text = text.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&amp;", "&");
		return text.replaceAll("\\s+", " ").trim();
	}

	private static String text(JsonNode value) {
		if (value.isArray()) {
			List<String> items = new ArrayList<>();
			value.forEach(item -> items.add(text(item)));
			return String.join(",", items);
		}
		return value.asString();
	}

	private static String capitalized(String text) {
		return text.isEmpty() ? text : Character.toUpperCase(text.charAt(0)) + text.substring(1);
	}

	static void write(String reference, Path document) {
		try {
			Files.writeString(document, reference);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
