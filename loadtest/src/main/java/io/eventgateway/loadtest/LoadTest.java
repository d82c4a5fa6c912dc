package io.eventgateway.loadtest;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

/**
 * The load generator's command line.
 *
 * <pre>
 * fanout --secret S [--url ws://127.0.0.1:8080/ws] [--connections 1000] [--rooms 10] [--rate 1000] ...
 * token  --secret S --sub alice [--rooms 'team-*'] [--ttl 24h]
 * </pre>
 */
public final class LoadTest {

	private LoadTest() {
	}

	public static void main(String[] args) throws Exception {
		// One event loop per core, as the gateway does: more only adds context switches.
		if (System.getProperty("reactor.netty.ioWorkerCount") == null) {
			System.setProperty("reactor.netty.ioWorkerCount", String.valueOf(Runtime.getRuntime().availableProcessors()));
		}
		if (args.length == 0) {
			System.err.println("usage: fanout|token [--option value ...]  (see docs/BENCHMARKS.md)");
			System.exit(2);
		}
		Options options = Options.parse(Arrays.copyOfRange(args, 1, args.length));
		switch (args[0]) {
			case "fanout" -> System.exit(new FanoutScenario(FanoutScenario.Settings.from(options)).run() ? 0 : 1);
			case "token" -> System.out.println(new Tokens(options.required("secret")).issue(options.required("sub"),
					List.of(options.text("rooms", "*").split(",")),
					Instant.now().plus(options.duration("ttl", Duration.ofHours(24)))));
			default -> {
				System.err.println("unknown command: " + args[0]);
				System.exit(2);
			}
		}
	}

}
