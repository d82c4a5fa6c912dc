package io.eventgateway.loadtest;

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
 * check and threshold passes, 1 when one fails, 2 when the command line is wrong.
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
		System.exit(run(args));
	}

	static int run(String[] args) throws Exception {
		if (args.length == 0) {
			return usage("no command");
		}
		Scenario scenario;
		List<Threshold> thresholds;
		ReportFiles files;
		try {
			Options options = Options.parse(Arrays.copyOfRange(args, 1, args.length));
			if (args[0].equals("token")) {
				printToken(options);
				return PASSED;
			}
			Function<Options, Scenario> factory = SCENARIOS.get(args[0]);
			if (factory == null) {
				return usage("unknown command: " + args[0]);
			}
			scenario = factory.apply(options);
			thresholds = options.all("threshold").stream().map(Threshold::parse).toList();
			files = ReportFiles.from(options);
			options.rejectUnread();
		}
		catch (UsageException ex) {
			return usage(ex.getMessage());
		}

		RunReport report;
		try {
			report = scenario.run();
		}
		catch (RuntimeException ex) {
			// A run that could not take place (no gateway, a refused setup) has no report to judge.
			System.err.println("run failed: " + ex.getMessage());
			return FAILED;
		}
		List<Check> limits = thresholds.stream().map(threshold -> threshold.evaluate(report)).toList();
		RunReport judged = report.withChecks(limits);
		TableWriter.print(judged, System.out);
		files.write(judged);
		return judged.passed() ? PASSED : FAILED;
	}

	private static void printToken(Options options) {
		String token = new Tokens(options.required("secret")).issue(options.required("sub"),
				List.of(options.text("rooms", "*").split(",")), Instant.now().plus(options.duration("ttl", Duration.ofHours(24))));
		options.rejectUnread();
		System.out.println(token);
	}

	private static int usage(String problem) {
		System.err.println(problem);
		System.err.println("usage: " + String.join("|", SCENARIOS.keySet()) + "|token [--option value ...]"
				+ "  (see loadtest/README-scenarios.md)");
		return USAGE;
	}

}
