package io.eventgateway.loadtest.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParseResult;

/**
 * Builds picocli's model from {@link CommandDoc}s (one subcommand each, nested under a group such
 * as {@code chaos}) and turns a parse into the {@code name → values} map that
 * {@link io.eventgateway.loadtest.Options} reads. Values stay text here: each scenario types and
 * defaults its own, so the parser and the scenarios cannot disagree on a default.
 */
public final class CommandLines {

	private CommandLines() {
	}

	public static CommandSpec root(String name, String description) {
		CommandSpec root = CommandSpec.create().name(name);
		root.usageMessage().description(literal(description));
		root.mixinStandardHelpOptions(true);
		return root;
	}

	/** Help texts are format strings to picocli: a literal percent sign ("10 % of clients") is doubled. */
	private static String literal(String text) {
		return text.replace("%", "%%");
	}

	public static CommandSpec group(String name, String description) {
		return root(name, description);
	}

	public static CommandSpec command(CommandDoc doc) {
		CommandSpec spec = CommandSpec.wrapWithoutInspection(doc).name(doc.name());
		spec.usageMessage().description(literal(doc.summary()));
		spec.mixinStandardHelpOptions(true);
		for (OptionDoc option : doc.options()) {
			String description = option.description() + (option.fallback() == null ? "" : " Default: " + option.fallback() + ".");
			OptionSpec.Builder builder = OptionSpec.builder("--" + option.name()).paramLabel(option.label()).description(literal(description))
				.arity("1");
			if (option.repeatable()) {
				builder.type(List.class).auxiliaryTypes(String.class);
			}
			else {
				builder.type(String.class);
			}
			spec.addOption(builder.build());
		}
		return spec;
	}

	/** The deepest subcommand a parse reached. */
	public static ParseResult leaf(ParseResult parse) {
		ParseResult leaf = parse;
		while (leaf.subcommand() != null) {
			leaf = leaf.subcommand();
		}
		return leaf;
	}

	/** The options given to the command, each with its values in command-line order. */
	public static Map<String, List<String>> values(ParseResult leaf) {
		Map<String, List<String>> values = new LinkedHashMap<>();
		for (OptionSpec option : leaf.matchedOptions()) {
			if (option.usageHelp() || option.versionHelp()) {
				continue;
			}
			values.put(option.longestName().substring(2), new ArrayList<>(option.originalStringValues()));
		}
		return values;
	}

	/** The command names from the root down to the one a parse reached: {@code chaos sigkill}. */
	public static String path(ParseResult leaf) {
		return leaf.commandSpec().qualifiedName(" ").replaceFirst("^\\S+\\s*", "");
	}

	/** The parse error as one line, as the rest of the generator's usage errors read. */
	public static String oneLine(CommandLine.ParameterException ex) {
		if (ex instanceof CommandLine.UnmatchedArgumentException unmatched) {
			List<String> names = unmatched.getUnmatched().stream().filter(arg -> arg.startsWith("-")).map(arg -> arg.replaceFirst("=.*", ""))
				.toList();
			if (!names.isEmpty()) {
				return "unknown option(s) for this command: " + String.join(", ", names);
			}
			return "unexpected argument(s): " + String.join(" ", unmatched.getUnmatched());
		}
		return ex.getMessage();
	}

}
