package io.eventgateway.loadtest.scenario;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.eventgateway.loadtest.Options;
import io.eventgateway.loadtest.measure.Monitor;
import io.eventgateway.loadtest.measure.WindowResult;
import io.eventgateway.loadtest.report.MetricKeys;
import io.eventgateway.loadtest.report.RunReport;

/**
 * N subscribers in R rooms while publishers send durable events at rate M; each subscriber drops
 * its connection at random moments and rejoins with {@code since}. At the end every subscriber
 * must hold a gap-free, duplicate-free sequence from its first seq to its room's last.
 */
public final class RecoveryScenario implements Scenario {

	/** How long subscribers get, after the last publish, to come back and catch up. */
	private static final Duration CATCH_UP = Duration.ofSeconds(15);

	record Settings(CommonSettings common, int connections, RoomTraffic.Load load, Duration duration, Duration dropInterval,
			Duration reconnectDelay) {

		static Settings from(Options options) {
			return new Settings(CommonSettings.from(options, "ws://127.0.0.1:8080/ws"), options.integer("connections", 100, 1),
					RoomTraffic.Load.from(options, 200, 2), options.duration("duration", Duration.ofSeconds(20)),
					options.duration("drop-interval", Duration.ofSeconds(3)), options.duration("reconnect-delay", Duration.ofMillis(200)));
		}

	}

	private final Settings settings;

	public RecoveryScenario(Options options) {
		this.settings = Settings.from(options);
	}

	@Override
	public RunReport run() throws Exception {
		Settings s = this.settings;
		RoomTraffic traffic = new RoomTraffic(s.common(), s.load());
		RecoveringSubscriber.Run run = new RecoveringSubscriber.Run(traffic, s.dropInterval(), s.reconnectDelay());
		traffic.openPublishers();
		Monitor monitor = traffic.monitor;
		Publishers publishers = traffic.publishers;
		List<RecoveringSubscriber> subscribers = new ArrayList<>();
		for (int i = 0; i < s.connections(); i++) {
			RecoveringSubscriber subscriber = new RecoveringSubscriber(i, i % s.load().rooms(), run);
			subscribers.add(subscriber);
			subscriber.connect();
		}
		RunLoop.until(() -> subscribers.stream().allMatch(RecoveringSubscriber::isLive), Connector.HANDSHAKE_TIMEOUT);

		long start = System.nanoTime();
		publishers.start(start + s.duration().toNanos());
		WindowResult result = RunLoop.warmupThenMeasure(monitor, start, Duration.ZERO, s.duration(),
				() -> subscribers.stream().filter(RecoveringSubscriber::isLive).count());
		publishers.stop();
		run.dropping = false;
		RunLoop.until(() -> publishers.acks() >= publishers.sent(), Duration.ofSeconds(5));
		RunLoop.until(() -> subscribers.stream().allMatch(subscriber -> caughtUp(subscriber, publishers)), CATCH_UP);
		run.finished = true;
		subscribers.forEach(RecoveringSubscriber::close);
		publishers.close();

		long gaps = subscribers.stream().mapToLong(subscriber -> subscriber.audit().gaps()).sum();
		long duplicates = subscribers.stream().mapToLong(subscriber -> subscriber.audit().duplicates()).sum();
		long complete = subscribers.stream().filter(subscriber -> caughtUp(subscriber, publishers)
				&& subscriber.audit().gaps() == 0 && subscriber.audit().duplicates() == 0).count();
		RunReport.Builder report = RunReport.builder("recovery", "deliveries");
		report.parameter("subscribers", s.connections());
		s.load().describe(report);
		report.parameter("duration", Options.durationText(s.duration()))
			.parameter("drop interval (mean) / reconnect delay (max)", Options.durationText(s.dropInterval()) + " / "
					+ Options.durationText(s.reconnectDelay()));
		s.common().describe(report);
		traffic.reportPublishes(report)
			.count(MetricKeys.RECONNECTS, "reconnects (dropped by the subscriber)", run.reconnects.sum())
			.count("server_closes", "connections closed by the server", run.serverCloses.sum())
			.count(MetricKeys.RECOVERED_FALSE, "joins answered recovered:false", run.recoveredFalse.sum())
			.count("replayed", "events replayed before joined", run.replayed.sum())
			.count(MetricKeys.GAPS, "gaps", gaps)
			.count(MetricKeys.DUPLICATES, "duplicates", duplicates)
			.count(MetricKeys.ERRORS, "errors", monitor.errors())
			.count("complete", "subscribers complete and in order", complete)
			.measured(result);
		return traffic.checkAcks(traffic.reportFailures(report).timeline(monitor.timeline()))
			.check("every subscriber gap-free and duplicate-free up to its room's last seq", complete == s.connections(),
					complete + " of " + s.connections())
			.build();
	}

	private static boolean caughtUp(RecoveringSubscriber subscriber, Publishers publishers) {
		return subscriber.isLive() && subscriber.lastSeq() >= publishers.lastSeq(subscriber.roomIndex());
	}

}
