package io.eventgateway.loadtest.chaos;

import java.util.List;

import io.eventgateway.loadtest.cli.CommandDoc;

/** The {@code chaos} commands: one per fault, and {@code all}. */
public final class ChaosCommands {

	private ChaosCommands() {
	}

	public static List<CommandDoc> all() {
		return List.of();
	}

}
