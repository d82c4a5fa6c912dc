package io.eventgateway.loadtest.scenario;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

import io.eventgateway.loadtest.Options;
import io.eventgateway.loadtest.client.BenchConnection;
import io.eventgateway.loadtest.client.Failures;
import io.eventgateway.loadtest.client.Lines;
import io.eventgateway.loadtest.client.Targets;
import io.eventgateway.loadtest.measure.Monitor;
import io.eventgateway.loadtest.measure.Pacer;
import io.eventgateway.loadtest.measure.PrometheusHeap;
import io.eventgateway.loadtest.measure.Tally;
import io.eventgateway.loadtest.measure.WindowResult;
import io.eventgateway.loadtest.report.MetricKeys;
import io.eventgateway.loadtest.report.RunReport;
import org.HdrHistogram.Recorder;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;

/**
 * Opens C connections, each authenticating and joining one room, as fast as allowed or at a fixed
 * rate; reports the time from TCP connect to {@code joined} and the failures, then holds the
 * connections idle and reports the server's memory per connection (RSS from /proc, heap from the
 * gateways' Prometheus endpoint), before and after.
 */
public final class ConnectScenario implements Scenario {

	record Settings(CommonSettings common, int connections, int rooms, int connectRate, Duration hold, Duration baseline) {

		static Settings from(Options options) {
			return new Settings(CommonSettings.from(options, "ws://127.0.0.1:8080/ws"), options.integer("connections", 1000, 1),
					options.integer("rooms", 10, 1), options.integer("connect-rate", 0, 0),
					options.duration("hold", Duration.ofSeconds(10)), options.duration("baseline", Duration.ZERO));
		}

	}

	private static final Duration SETTLE = Duration.ofSeconds(3);

	private final Settings settings;

	private final ConcurrentLinkedQueue<BenchConnection> connections = new ConcurrentLinkedQueue<>();

	private final AtomicInteger joined = new AtomicInteger();

	private final AtomicInteger failed = new AtomicInteger();

	private final AtomicInteger open = new AtomicInteger();

	private final Tally failures = new Tally();

	private long[] startedAt;

	public ConnectScenario(Options options) {
		this.settings = Settings.from(options);
	}

	@Override
	public RunReport run() throws Exception {
		Settings s = this.settings;
		Monitor monitor = s.common().monitor("connections", MetricKeys.CONNECT);
		ServerErrors errors = new ServerErrors(monitor);
		Connector connector = new Connector(s.common(), List.of("bench-*"));
		PrometheusHeap heap = new PrometheusHeap(HttpClient.create(), s.common().subscriberUrls().stream().map(Targets::httpRoot)
			.distinct().toList());
		long rssBefore = monitor.serverRssKib();
		long heapBefore = heap.usedBytes();
		double baselineCpuPerSecond = -1;
		if (!s.baseline().isZero() && monitor.measuresServer()) {
			double cpuBefore = monitor.serverCpu();
			long baselineStart = System.nanoTime();
			RunLoop.hold(monitor, "baseline", s.baseline(), this.open::get);
			baselineCpuPerSecond = (monitor.serverCpu() - cpuBefore) / ((System.nanoTime() - baselineStart) / 1e9);
		}
		this.startedAt = new long[s.connections()];
		JoinTimer listener = new JoinTimer(monitor, monitor.latency(MetricKeys.CONNECT), errors);

		System.err.printf("opening %d connections %s...%n", s.connections(),
				s.connectRate() > 0 ? "at " + s.connectRate() + "/s" : s.common().connectConcurrency() + " handshakes at a time");
		Monitor.Window connecting = monitor.openWindow("connect");
		Pacer pacer = null;
		if (s.connectRate() > 0) {
			long start = System.nanoTime();
			pacer = Pacer.start("connect", s.connectRate(), start, start + (long) (s.connections() * 1e9 / s.connectRate()),
					(n, intended) -> {
						if (n < s.connections()) {
							this.startedAt[(int) n] = intended;
							connect(connector, (int) n, listener, monitor).subscribe();
						}
					});
		}
		else {
			Flux.range(0, s.connections()).flatMap(i -> {
				this.startedAt[i] = System.nanoTime();
				return connect(connector, i, listener, monitor);
			}, s.common().connectConcurrency()).subscribe();
		}
		Duration limit = Connector.HANDSHAKE_TIMEOUT.plusNanos(s.connectRate() > 0 ? (long) (s.connections() * 1e9 / s.connectRate()) : 0);
		RunLoop.until(() -> this.joined.get() + this.failed.get() >= s.connections(), limit, monitor, "connect", this.open::get);
		if (pacer != null) {
			pacer.close();
		}
		WindowResult connected = monitor.close(connecting);

		// The first moments of the hold still see the last joins and their garbage collected.
		Duration settle = s.hold().dividedBy(4).compareTo(SETTLE) < 0 ? s.hold().dividedBy(4) : SETTLE;
		RunLoop.hold(monitor, "hold", settle, this.open::get);
		double idleCpuBefore = monitor.serverCpu();
		long idleStart = System.nanoTime();
		RunLoop.hold(monitor, "hold", s.hold().minus(settle), this.open::get);
		double idleSeconds = (System.nanoTime() - idleStart) / 1e9;
		double idleCpu = monitor.serverCpu() - idleCpuBefore;
		long rssAfter = monitor.serverRssKib();
		long heapAfter = heap.usedBytes();
		int held = this.open.get();
		this.connections.forEach(BenchConnection::close);

		RunReport.Builder report = RunReport.builder("connect", "connections");
		report.parameter("connections / rooms", s.connections() + " / " + s.rooms())
			.parameter("connect rate", s.connectRate() > 0 ? s.connectRate() + "/s"
					: "as fast as allowed, " + s.common().connectConcurrency() + " handshakes at a time")
			.parameter("hold", Options.durationText(s.hold()));
		s.common().describe(report);
		report.count(MetricKeys.CONNECTED, "connections joined", this.joined.get())
			.count("failed", "connections failed", this.failed.get())
			.count("held", "connections open after the hold", held)
			.count(MetricKeys.ERRORS, "errors", monitor.errors())
			.measured(connected);
		perConnection(report, "server RSS", "rss", rssBefore, rssAfter, held, 1);
		perConnection(report, "server heap", "heap", heapBefore, heapAfter, held, 1024);
		if (monitor.measuresServer() && held > 0 && idleSeconds > 0) {
			report.metric(MetricKeys.IDLE_CPU, "server CPU per idle connection-second",
					idleCpu / idleSeconds / held * 1e6, "µs", 2);
			if (baselineCpuPerSecond >= 0) {
				report.metric("idle_cpu_us_per_connection_second_net", "  the same, less the server's own idle CPU ("
						+ String.format("%.2f", baselineCpuPerSecond * 1000) + " ms/s before connecting)",
						Math.max(0, idleCpu / idleSeconds - baselineCpuPerSecond) / held * 1e6, "µs", 2);
			}
		}
		if (this.failures.total() > 0) {
			report.counts("connection failures", "cause", this.failures.snapshot());
		}
		return report.timeline(monitor.timeline())
			.check("every connection joined", this.joined.get() == s.connections(), this.joined.get() + " of " + s.connections())
			.build();
	}

	private Mono<BenchConnection> connect(Connector connector, int index, JoinTimer listener, Monitor monitor) {
		return connector.subscriber(index, listener)
			.doOnNext(connection -> {
				this.open.incrementAndGet();
				this.connections.add(connection);
				connection.send("{\"type\":\"join\",\"room\":\"" + Publishers.room(index % this.settings.rooms()) + "\",\"ref\":\"j\"}");
			})
			.onErrorResume(error -> {
				this.failures.add(Failures.describe(error));
				this.failed.incrementAndGet();
				monitor.error();
				return Mono.empty();
			});
	}

	/** Before, after and per held connection, in KiB; {@code scale} turns the readings into KiB. */
	private static void perConnection(RunReport.Builder report, String label, String key, long before, long after, int held,
			long scale) {
		if (before < 0 || after < 0) {
			return;
		}
		report.metric(key + "_before_mib", label + " before connecting", before / scale / 1024.0, "MiB", 1)
			.metric(key + "_after_mib", label + " after the hold", after / scale / 1024.0, "MiB", 1)
			.metric(key + "_per_connection_kib", label + " per connection (after − before)",
					held == 0 ? 0 : (double) (after - before) / scale / held, "KiB", 2);
	}

	/** Times each connection until its {@code joined}, and notices connections the server closes. */
	private final class JoinTimer implements BenchConnection.Listener {

		private final Monitor monitor;

		private final Recorder connectTime;

		private final ServerErrors errors;

		JoinTimer(Monitor monitor, Recorder connectTime, ServerErrors errors) {
			this.monitor = monitor;
			this.connectTime = connectTime;
			this.errors = errors;
		}

		@Override
		public void onLine(BenchConnection connection, String line, long now) {
			if (Lines.isType(line, "joined")) {
				this.connectTime.recordValue(Math.max(0, (now - startedAt[connection.index()]) / 1000));
				this.monitor.operation();
				joined.incrementAndGet();
			}
			else if (Lines.isType(line, "error")) {
				this.errors.record(line);
				if ("j".equals(Lines.text(line, "ref"))) {
					failed.incrementAndGet();
				}
			}
		}

		@Override
		public void onClosed(BenchConnection connection) {
			open.decrementAndGet();
		}

	}

}
