package io.eventgateway.loadtest;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.eventgateway.loadtest.chaos.ChaosCommands;
import io.eventgateway.loadtest.cli.CommandDoc;
import io.eventgateway.loadtest.cli.CommandLines;
import io.eventgateway.loadtest.cli.ScenarioOptions;
import io.eventgateway.loadtest.client.Tokens;
import io.eventgateway.loadtest.report.Check;
import io.eventgateway.loadtest.report.ReportFiles;
import io.eventgateway.loadtest.report.RunReport;
import io.eventgateway.loadtest.report.TableWriter;
import io.eventgateway.loadtest.report.Threshold;
import io.eventgateway.loadtest.scenario.ConnectScenario;
import io.eventgateway.loadtest.scenario.FanoutScenario;
import io.eventgateway.loadtest.scenario.HttpScenario;
import io.eventgateway.loadtest.scenario.RampScenario;
import io.eventgateway.loadtest.scenario.RecoveryScenario;
import io.eventgateway.loadtest.scenario.Scenario;
import io.eventgateway.loadtest.scenario.TaskFileScenario;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParseResult;

/**
 * The load generator's command line: {@code <scenario> [--option value | --option=value ...]}, and
 * {@code chaos <fault>} for the fault scenarios; {@code --help} after any command lists its options.
 * Exit code 0 when every check and threshold passes, 1 when one fails, 2 when the command line is
 * wrong (said in one line). Scenarios and their options: {@code loadtest/README-scenarios.md}.
 */
public final class LoadTest {

	static final int PASSED = 0;

	static final int FAILED = 1;

	static final int USAGE = 2;

	static final List<CommandDoc> SCENARIOS = List.of(
			new CommandDoc("fanout", "C subscribers in R rooms, P publishers at total rate M.", ScenarioOptions.FANOUT, FanoutScenario::fanout),
			new CommandDoc("cluster", "fanout with subscribers and publishers on at least two gateways.", ScenarioOptions.FANOUT,
					FanoutScenario::cluster),
			new CommandDoc("ramp", "Connection counts in stages under light publishing.", ScenarioOptions.RAMP, RampScenario::new),
			new CommandDoc("connect", "A connection storm, then idle memory and CPU per connection.", ScenarioOptions.CONNECT,
					ConnectScenario::new),
			new CommandDoc("recovery", "Subscribers drop and rejoin with since while publishing goes on.", ScenarioOptions.RECOVERY,
					RecoveryScenario::new),
			new CommandDoc("http", "Task reads at a fixed request rate.", ScenarioOptions.HTTP, HttpScenario::new),
			new CommandDoc("taskfile", "From a task-file write to the event at a client.", ScenarioOptions.TASKFILE, TaskFileScenario::new));

	private static final CommandDoc TOKEN = new CommandDoc("token", "Print an HS256 token for --sub.", ScenarioOptions.TOKEN, null);

	private LoadTest() {
	}

	public static void main(String[] args) throws Exception {
		// One event loop per core, as the gateway does: more only adds context switches.
		if (System.getProperty("reactor.netty.ioWorkerCount") == null) {
			System.setProperty("reactor.netty.ioWorkerCount", String.valueOf(Runtime.getRuntime().availableProcessors()));
		}
		System.exit(run(args, System.getenv(), System.out, System.err));
	}

	static CommandLine commandLine() {
		CommandSpec root = CommandLines.root("gateway-loadtest", "Load and fault scenarios against event gateways on this machine.");
		for (CommandDoc scenario : SCENARIOS) {
			root.addSubcommand(scenario.name(), CommandLines.command(scenario));
		}
		root.addSubcommand(TOKEN.name(), CommandLines.command(TOKEN));
		CommandSpec chaos = CommandLines.group("chaos", "Faults injected into gateways this command starts itself; a history checked at the end.");
		for (CommandDoc fault : ChaosCommands.all()) {
			chaos.addSubcommand(fault.name(), CommandLines.command(fault));
		}
		root.addSubcommand(chaos.name(), chaos);
		return new CommandLine(root);
	}

	static int run(String[] args, Map<String, String> environment, PrintStream out, PrintStream err) throws Exception {
		CommandLine commandLine = commandLine();
		commandLine.setOut(new PrintWriter(out, true, StandardCharsets.UTF_8));
		commandLine.setErr(new PrintWriter(err, true, StandardCharsets.UTF_8));
		ParseResult parse;
		try {
			parse = commandLine.parseArgs(args);
		}
		catch (CommandLine.ParameterException ex) {
			String command = ex.getCommandLine().getCommandSpec().qualifiedName(" ").replaceFirst("^\\S+\\s*", "");
			if (command.isEmpty()) {
				return usage(err, CommandLines.oneLine(ex));
			}
			err.println(command + ": " + CommandLines.oneLine(ex));
			return USAGE;
		}
		if (CommandLine.printHelpIfRequested(parse)) {
			return PASSED;
		}
		ParseResult leaf = CommandLines.leaf(parse);
		if (!(leaf.commandSpec().userObject() instanceof CommandDoc command)) {
			return usage(err, leaf == parse ? "no command" : CommandLines.path(leaf) + ": which one? " + String.join("|",
					leaf.commandSpec().subcommands().keySet()));
		}
		String name = CommandLines.path(leaf);
		Scenario scenario;
		List<Threshold> thresholds;
		ReportFiles files;
		try {
			Options options = Options.of(CommandLines.values(leaf), environment);
			if (command == TOKEN) {
				out.println(token(options));
				return PASSED;
			}
			scenario = command.factory().apply(options);
			thresholds = options.all("threshold").stream().map(Threshold::parse).toList();
			files = ReportFiles.from(options);
			options.rejectUnread();
		}
		catch (UsageException ex) {
			// The command is right and one option is not: the one line that says which is the help.
			err.println(name + ": " + ex.getMessage());
			return USAGE;
		}

		RunReport report;
		try {
			report = scenario.run();
		}
		catch (RuntimeException ex) {
			// A run that could not take place (no gateway, a refused setup) has no report to judge.
			err.println("run failed: " + ex.getMessage());
			return FAILED;
		}
		List<Check> limits = thresholds.stream().map(threshold -> threshold.evaluate(report)).toList();
		RunReport judged = report.withChecks(limits);
		TableWriter.print(judged, out);
		files.write(judged);
		return judged.passed() ? PASSED : FAILED;
	}

	private static String token(Options options) {
		String token = new Tokens(options.secret()).issue(options.required("sub"),
				List.of(options.text("rooms", "*").split(",")), Instant.now().plus(options.duration("ttl", Duration.ofHours(24))));
		options.rejectUnread();
		return token;
	}

	private static int usage(PrintStream err, String problem) {
		err.println(problem);
		err.println("usage: " + String.join("|", SCENARIOS.stream().map(CommandDoc::name).toList()) + "|token|chaos <fault>"
				+ " [--option value ...]  (--help after a command lists its options; see loadtest/README-scenarios.md)");
		return USAGE;
	}

}
