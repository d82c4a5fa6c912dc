package io.eventgateway.loadtest.cli;

import java.util.ArrayList;
import java.util.List;

/**
 * One {@code --name} a command accepts: its value's label, its default as the help shows it, and
 * whether it may be given more than once. The value is read, typed and defaulted by the scenario
 * (through {@link io.eventgateway.loadtest.Options}); this is what the parser and the help know.
 */
public record OptionDoc(String name, String label, String fallback, String description, boolean repeatable) {

	public static OptionDoc of(String name, String label, String fallback, String description) {
		return new OptionDoc(name, label, fallback, description, false);
	}

	public static OptionDoc repeatable(String name, String label, String description) {
		return new OptionDoc(name, label, null, description, true);
	}

	/** The options of {@code first}, then those of {@code more} whose names are not taken yet. */
	@SafeVarargs
	public static List<OptionDoc> join(List<OptionDoc> first, List<OptionDoc>... more) {
		List<OptionDoc> all = new ArrayList<>(first);
		for (List<OptionDoc> group : more) {
			for (OptionDoc option : group) {
				if (all.stream().noneMatch(taken -> taken.name().equals(option.name()))) {
					all.add(option);
				}
			}
		}
		return List.copyOf(all);
	}

}
