package io.eventgateway.loadtest.scenario;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicInteger;

import io.eventgateway.loadtest.Options;
import io.eventgateway.loadtest.client.BenchConnection;
import io.eventgateway.loadtest.client.Failures;
import io.eventgateway.loadtest.measure.Monitor;
import io.eventgateway.loadtest.measure.SequenceAudit;
import io.eventgateway.loadtest.measure.WindowResult;
import io.eventgateway.loadtest.report.MetricKeys;
import io.eventgateway.loadtest.report.Millis;
import io.eventgateway.loadtest.report.RunReport;
import io.eventgateway.loadtest.report.Table;

/**
 * Subscribers come and go in stages ({@code --stages 100:10s,500:10s,0:10s}: a linear ramp to each
 * target) while a light publish rate goes on; each stage reports its connections, deliveries,
 * latency and errors, which shows where a growing load starts to hurt.
 */
public final class RampScenario implements Scenario {

	/** How often the connection count is steered toward the ramp. */
	private static final long STEER_MILLIS = 100;

	record Settings(CommonSettings common, List<Stage> stages, RoomTraffic.Load load) {

		static Settings from(Options options) {
			return new Settings(CommonSettings.from(options, "ws://127.0.0.1:8080/ws"),
					Stage.parseAll(options.text("stages", "100:10s,500:10s,1000:20s,0:10s")), RoomTraffic.Load.from(options, 20, 1));
		}

	}

	private final Settings settings;

	private final Deque<BenchConnection> live = new ConcurrentLinkedDeque<>();

	private final AtomicInteger pending = new AtomicInteger();

	private final AtomicInteger opened = new AtomicInteger();

	public RampScenario(Options options) {
		this.settings = Settings.from(options);
	}

	@Override
	public RunReport run() throws Exception {
		Settings s = this.settings;
		RoomTraffic traffic = new RoomTraffic(s.common(), s.load());
		traffic.openPublishers();
		Monitor monitor = traffic.monitor;
		Publishers publishers = traffic.publishers;
		Duration total = s.stages().stream().map(Stage::duration).reduce(Duration.ZERO, Duration::plus);
		publishers.start(System.nanoTime() + total.toNanos());

		Monitor.Window all = monitor.openWindow("all");
		List<List<String>> rows = new ArrayList<>();
		int from = 0;
		for (int i = 0; i < s.stages().size(); i++) {
			Stage stage = s.stages().get(i);
			String name = "stage " + (i + 1);
			Monitor.Window window = monitor.openWindow(name);
			int peak = rampThrough(stage, from, name, traffic);
			WindowResult result = monitor.close(window);
			rows.add(List.of(String.valueOf(i + 1), String.valueOf(stage.target()), Options.durationText(stage.duration()),
					String.valueOf(this.live.size()), String.valueOf(Math.max(peak, this.live.size())), String.format("%.0f", result.perSecond()),
					latency(result, 50), latency(result, 99), String.valueOf(result.errors())));
			from = stage.target();
		}
		WindowResult overall = monitor.close(all);
		publishers.stop();
		RunLoop.until(() -> this.pending.get() == 0, Connector.HANDSHAKE_TIMEOUT);
		this.live.forEach(BenchConnection::close);
		publishers.close();

		RunReport.Builder report = RunReport.builder("ramp", "deliveries");
		report.parameter("stages", stagesText(s.stages()));
		s.load().describe(report);
		s.common().describe(report);
		SequenceAudit audit = traffic.audit;
		traffic.reportPublishes(report)
			.count("opened", "connections opened", this.opened.get())
			.count(MetricKeys.ERRORS, "errors", monitor.errors())
			.count(MetricKeys.GAPS, "gaps", audit.gaps())
			.count(MetricKeys.DUPLICATES, "duplicates", audit.duplicates())
			.measured(overall)
			.table(new Table("stages", List.of("stage", "target", "duration", "connections", "peak", "deliveries/s", "p50 ms", "p99 ms",
					"errors"), rows));
		return traffic.reportFailures(report).timeline(monitor.timeline())
			.check("no gap, no duplicate", audit.gaps() == 0 && audit.duplicates() == 0,
					audit.gaps() + " missing, " + audit.duplicates() + " twice")
			.build();
	}

	/** Steers the connection count along one stage; answers the most connections seen. */
	private int rampThrough(Stage stage, int from, String name, RoomTraffic traffic) throws InterruptedException {
		long start = System.nanoTime();
		long end = start + stage.duration().toNanos();
		long nextTick = start + 1_000_000_000L;
		int peak = this.live.size();
		while (true) {
			long now = System.nanoTime();
			steer(stage.countAt(from, Duration.ofNanos(now - start)), traffic);
			peak = Math.max(peak, this.live.size());
			if (now >= nextTick) {
				traffic.monitor.tick(name, this.live.size());
				nextTick += 1_000_000_000L;
			}
			if (now >= end) {
				return peak;
			}
			Thread.sleep(Math.min(STEER_MILLIS, Math.max(1, (end - now) / 1_000_000)));
		}
	}

	/** Opens or closes connections toward {@code target}, with no more handshakes in flight than allowed. */
	private void steer(int target, RoomTraffic traffic) {
		int have = this.live.size() + this.pending.get();
		int room = this.settings.common().connectConcurrency() - this.pending.get();
		for (int n = Math.min(target - have, room); n > 0; n--) {
			int index = this.opened.getAndIncrement();
			this.pending.incrementAndGet();
			traffic.connector.subscriber(index, traffic.deliveries).subscribe(connection -> {
				connection.send(Subscriptions.join(Publishers.room(index % this.settings.load().rooms())));
				this.live.add(connection);
				this.pending.decrementAndGet();
			}, error -> {
				traffic.connectFailures.add(Failures.describe(error));
				traffic.monitor.error();
				this.pending.decrementAndGet();
			});
		}
		while (this.live.size() > target) {
			BenchConnection newest = this.live.pollLast();
			if (newest == null) {
				break;
			}
			newest.close();
		}
	}

	private static String latency(WindowResult result, double percentile) {
		return result.latency(MetricKeys.DELIVERY).getTotalCount() == 0 ? "-"
				: String.format("%.2f", Millis.at(result.latency(MetricKeys.DELIVERY), percentile));
	}

	private static String stagesText(List<Stage> stages) {
		return String.join(",", stages.stream().map(Stage::toString).toList());
	}

}
