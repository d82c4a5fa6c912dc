package io.eventgateway.loadtest.chaos;

import java.util.ArrayList;
import java.util.List;

import io.eventgateway.loadtest.cli.CommandDoc;
import io.eventgateway.loadtest.cli.OptionDoc;

import static io.eventgateway.loadtest.cli.OptionDoc.of;

/** The {@code chaos} commands: one per fault, and {@code all} for the reliability table. */
public final class ChaosCommands {

	static final List<OptionDoc> OPTIONS = List.of(
			of("seed", "N", "random, printed", "Seed of every random choice (when the fault strikes, who publishes, who is slow)."),
			of("variant", "short|full", "short", "short: about a minute, for the test suite; full: 2 minutes (soak 10 minutes)."),
			of("duration", "DURATION", "variant's", "How long publishing lasts."),
			of("clients", "N", "20", "Clients, each subscribed to one room and publishing into it."),
			of("rooms", "N", "4", "Rooms chaos-0..."),
			of("rate", "PER_SECOND", "100 (slow: 150)", "Durable publishes per second, all clients together."),
			of("payload", "BYTES", "100 (slow: 2000)", "Padding in each event's data."),
			of("instances", "N", "2", "Gateway instances started."),
			of("heap", "SIZE", "256m", "Each instance's -Xmx."),
			of("gateway-jar", "FILE", ChaosSettings.DEFAULT_JAR, "The gateway to start."),
			of("postgres", "HOST:PORT", "127.0.0.1:5432", "PostgreSQL (trust auth, user postgres) where a fresh database is created and dropped."),
			of("history", "FILE", "history.jsonl in the work folder", "Where the history is written, one JSON object a line."),
			of("histogram-log", "FILE", null, "Delivery latency once a second as an HdrHistogram interval log (µs)."),
			of("work-dir", "DIR", "a new temporary folder", "Logs of the instances and Redis, and the history."),
			OptionDoc.repeatable("threshold", "LIMIT", "A limit on the report, as for the other scenarios."),
			of("report-json", "FILE", null, "Write the report as JSON."));

	private ChaosCommands() {
	}

	public static List<CommandDoc> all() {
		List<CommandDoc> commands = new ArrayList<>();
		for (Fault fault : Fault.values()) {
			commands.add(new CommandDoc(fault.command, fault.description + ", then the history checked.", OPTIONS,
					options -> new ChaosScenario(ChaosSettings.from(fault, options), System.err)));
		}
		commands.add(new CommandDoc("all", "Every chaos scenario in turn (short variants unless --variant=full), and the reliability table.",
				OptionDoc.join(List.of(of("table", "FILE", null, "Write the table of results into this Markdown file (between its markers).")),
						OPTIONS.stream().filter(o -> !List.of("history", "histogram-log", "work-dir").contains(o.name())).toList()),
				AllChaosScenarios::new));
		return List.copyOf(commands);
	}

}
