package io.eventgateway.loadtest;

import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import io.eventgateway.loadtest.client.Tokens;
import io.eventgateway.loadtest.report.Check;
import io.eventgateway.loadtest.report.ReportFiles;
import io.eventgateway.loadtest.report.RunReport;
import io.eventgateway.loadtest.report.TableWriter;
import io.eventgateway.loadtest.report.Threshold;
import io.eventgateway.loadtest.scenario.ConnectScenario;
import io.eventgateway.loadtest.scenario.FanoutScenario;
import io.eventgateway.loadtest.scenario.HttpScenario;
import io.eventgateway.loadtest.scenario.TaskFileScenario;
import io.eventgateway.loadtest.scenario.RampScenario;
import io.eventgateway.loadtest.scenario.RecoveryScenario;
import io.eventgateway.loadtest.scenario.Scenario;

/**
 * The load generator's command line: {@code <scenario> [--option value ...]}. Exit code 0 when every
 * check and threshold passes, 1 when one fails, 2 when the command line is wrong (said in one line).
 * Scenarios and their options: {@code loadtest/README-scenarios.md}.
 */
public final class LoadTest {

	static final int PASSED = 0;

	static final int FAILED = 1;

	static final int USAGE = 2;

	private static final Map<String, Function<Options, Scenario>> SCENARIOS = new LinkedHashMap<>();

	static {
		SCENARIOS.put("fanout", FanoutScenario::fanout);
		SCENARIOS.put("cluster", FanoutScenario::cluster);
		SCENARIOS.put("ramp", RampScenario::new);
		SCENARIOS.put("connect", ConnectScenario::new);
		SCENARIOS.put("recovery", RecoveryScenario::new);
		SCENARIOS.put("http", HttpScenario::new);
		SCENARIOS.put("taskfile", TaskFileScenario::new);
	}

	private LoadTest() {
	}

	public static void main(String[] args) throws Exception {
		// One event loop per core, as the gateway does: more only adds context switches.
		if (System.getProperty("reactor.netty.ioWorkerCount") == null) {
			System.setProperty("reactor.netty.ioWorkerCount", String.valueOf(Runtime.getRuntime().availableProcessors()));
		}
		System.exit(run(args, System.getenv(), System.out, System.err));
	}

	static int run(String[] args, Map<String, String> environment, PrintStream out, PrintStream err) throws Exception {
		if (args.length == 0) {
			return usage(err, "no command");
		}
		Scenario scenario;
		List<Threshold> thresholds;
		ReportFiles files;
		try {
			Options options = Options.parse(environment, Arrays.copyOfRange(args, 1, args.length));
			if (args[0].equals("token")) {
				out.println(token(options));
				return PASSED;
			}
			Function<Options, Scenario> factory = SCENARIOS.get(args[0]);
			if (factory == null) {
				return usage(err, "unknown command: " + args[0]);
			}
			scenario = factory.apply(options);
			thresholds = options.all("threshold").stream().map(Threshold::parse).toList();
			files = ReportFiles.from(options);
			options.rejectUnread();
		}
		catch (UsageException ex) {
			// The command is right and one option is not: the one line that says which is the help.
			err.println(args[0] + ": " + ex.getMessage());
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
		err.println("usage: " + String.join("|", SCENARIOS.keySet()) + "|token [--option value ...]"
				+ "  (see loadtest/README-scenarios.md)");
		return USAGE;
	}

}
