package io.eventgateway.loadtest.scenario;

import java.time.Duration;
import java.util.List;

import io.eventgateway.loadtest.Options;
import io.eventgateway.loadtest.UsageException;
import io.eventgateway.loadtest.client.BenchConnection;
import io.eventgateway.loadtest.measure.Monitor;
import io.eventgateway.loadtest.measure.SequenceAudit;
import io.eventgateway.loadtest.measure.WindowResult;
import io.eventgateway.loadtest.report.MetricKeys;
import io.eventgateway.loadtest.report.RunReport;

/**
 * C subscribers in R rooms, P publishers sending durable events at a fixed total rate M (open
 * model: latency counts from each publish's intended send time, so a slow server cannot hide behind
 * a slow generator). Reports deliveries, latency, acks, gaps and duplicates, and the server's CPU
 * per delivery when it runs here. As {@code cluster}, subscribers and publishers are spread over
 * several gateways and every subscriber must get every event of its room in order.
 */
public final class FanoutScenario implements Scenario {

	record Settings(String name, CommonSettings common, int connections, RoomTraffic.Load load, Duration duration,
			Duration warmup) {

		static Settings from(String name, Options options) {
			return new Settings(name, CommonSettings.from(options, "ws://127.0.0.1:8080/ws"), options.integer("connections", 1000, 1),
					RoomTraffic.Load.from(options, 1000, 10), options.duration("duration", Duration.ofSeconds(30)),
					options.duration("warmup", Duration.ofSeconds(5)));
		}

	}

	private final Settings settings;

	private FanoutScenario(Settings settings) {
		this.settings = settings;
	}

	public static FanoutScenario fanout(Options options) {
		return new FanoutScenario(Settings.from("fanout", options));
	}

	/** Fan-out across gateways: needs at least two distinct URLs among subscribers and publishers. */
	public static FanoutScenario cluster(Options options) {
		if (!options.has("subscriber-urls") || !options.has("publisher-urls")) {
			throw new UsageException("cluster needs --subscriber-urls and --publisher-urls (comma lists of gateway URLs)");
		}
		Settings settings = Settings.from("cluster", options);
		if (settings.common().allUrls().size() < 2) {
			throw new UsageException("cluster needs at least two distinct gateway URLs");
		}
		return new FanoutScenario(settings);
	}

	@Override
	public RunReport run() throws Exception {
		Settings s = this.settings;
		int rooms = s.load().rooms();
		RoomTraffic traffic = new RoomTraffic(s.common(), s.load());
		Monitor monitor = traffic.monitor;
		long rssAtRest = monitor.serverRssKib();

		System.err.printf("opening %d subscribers in %d rooms and %d publishers...%n", s.connections(), rooms, s.load().publishers());
		List<BenchConnection> subscribers = traffic.connector.openAll(s.connections(), i -> traffic.connector
			.subscriber(i, traffic.deliveries)
			.doOnNext(connection -> connection.send(Subscriptions.join(Publishers.room(i % rooms)))), monitor, traffic.connectFailures);
		traffic.openPublishers();
		Publishers publishers = traffic.publishers;
		RunLoop.until(() -> traffic.deliveries.joined() >= subscribers.size(), Duration.ofSeconds(10));
		long rssConnected = monitor.serverRssKib();

		long start = System.nanoTime();
		publishers.start(start + s.warmup().plus(s.duration()).toNanos());
		WindowResult result = RunLoop.warmupThenMeasure(monitor, start, s.warmup(), s.duration(), subscribers::size);
		publishers.stop();

		int[] members = Subscriptions.membersPerRoom(subscribers, rooms);
		RunLoop.until(() -> monitor.operations() >= expected(publishers, members) && publishers.acks() >= publishers.sent(),
				Duration.ofSeconds(5));
		long incomplete = subscribers.stream().filter(c -> !Subscriptions.reachedEnd(c, publishers, rooms)).count();
		subscribers.forEach(BenchConnection::close);
		publishers.close();

		long expected = expected(publishers, members);
		long delivered = monitor.operations();
		SequenceAudit audit = traffic.audit;
		RunReport.Builder report = RunReport.builder(s.name(), "deliveries");
		report.parameter("connections", s.connections());
		s.load().describe(report);
		report.parameter("warmup / duration", Options.durationText(s.warmup()) + " / " + Options.durationText(s.duration()));
		s.common().describe(report);
		traffic.reportPublishes(report)
			.count(MetricKeys.ERRORS, "errors", monitor.errors())
			.count("expected", "deliveries expected", expected)
			.count("delivered", "deliveries received", delivered)
			.count(MetricKeys.GAPS, "gaps", audit.gaps())
			.count(MetricKeys.DUPLICATES, "duplicates", audit.duplicates());
		if (rssAtRest >= 0) {
			report.metric("server_rss_at_rest_mib", "server RSS at rest", rssAtRest / 1024.0, "MiB", 0)
				.metric("server_rss_connected_mib", "server RSS connected", rssConnected / 1024.0, "MiB", 0);
		}
		traffic.reportFailures(report.measured(result));
		return traffic.checkAcks(report.timeline(monitor.timeline()))
			.check("every delivery made", delivered == expected, delivered + " of " + expected)
			.check("no gap, no duplicate", audit.gaps() == 0 && audit.duplicates() == 0,
					audit.gaps() + " missing, " + audit.duplicates() + " twice")
			.check("every subscriber reached its room's last seq, in order", incomplete == 0 && audit.gaps() == 0,
					(subscribers.size() - incomplete) + " of " + subscribers.size())
			.check("no error", monitor.errors() == 0, monitor.errors() + " errors")
			.build();
	}

	private static long expected(Publishers publishers, int[] members) {
		long expected = 0;
		for (int room = 0; room < members.length; room++) {
			expected += publishers.acksInRoom(room) * members[room];
		}
		return expected;
	}

}
