package io.eventgateway.loadtest.measure;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.DoubleSupplier;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogWriter;
import org.HdrHistogram.Recorder;

/**
 * A run's measurements: latency streams and counters that event loops write to, read once a second
 * by the run's own thread into a timeline (printed as a progress line) and into any open
 * {@link Window}: the warm-up is one that is thrown away, each ramp stage is one.
 */
public final class Monitor {

	private static final int SIGNIFICANT_DIGITS = 3;

	private final String unit;

	private final ServerStats server;

	private final ServerStats generator = ServerStats.self();

	private final PrintStream progress;

	private final Map<String, Recorder> recorders = new LinkedHashMap<>();

	private final Map<String, Histogram> thisSecond = new LinkedHashMap<>();

	private final LongAdder operations = new LongAdder();

	private final LongAdder errors = new LongAdder();

	private final List<Window> windows = new ArrayList<>();

	private final List<Sample> timeline = new ArrayList<>();

	private final long startNanos = System.nanoTime();

	private long lastTickNanos = this.startNanos;

	private long operationsAtLastTick;

	private double serverCpuAtLastTick;

	private boolean serverGone;

	private String gauge = "conns";

	private HistogramLogWriter intervalLog;

	/**
	 * @param unit what one operation is, plural, for the progress line ("deliveries")
	 * @param latencies the names of the latency streams; the first is the run's main latency
	 */
	public Monitor(String unit, ServerStats server, PrintStream progress, String... latencies) {
		this.unit = unit;
		this.server = server;
		this.progress = progress;
		for (String name : latencies) {
			this.recorders.put(name, new Recorder(SIGNIFICANT_DIGITS));
			this.thisSecond.put(name, new Histogram(SIGNIFICANT_DIGITS));
		}
		this.serverCpuAtLastTick = serverCpu();
	}

	/** What the count given to {@link #tick} is, in the progress line: {@code conns} unless told. */
	public Monitor gauge(String label) {
		this.gauge = label;
		return this;
	}

	/**
	 * Writes each second's histogram of every latency stream to {@code log} (tagged with the stream's
	 * name), so a run can be read second by second with HdrHistogram's log tools.
	 */
	public Monitor intervalLog(HistogramLogWriter log) {
		this.intervalLog = log;
		if (log != null) {
			log.outputLogFormatVersion();
			log.outputStartTime(System.currentTimeMillis());
			log.setBaseTime(System.currentTimeMillis());
			log.outputLegend();
		}
		return this;
	}

	/** A latency stream to record microseconds into, from any thread. */
	public Recorder latency(String name) {
		Recorder recorder = this.recorders.get(name);
		if (recorder == null) {
			throw new IllegalArgumentException("no latency stream " + name);
		}
		return recorder;
	}

	public void operation() {
		this.operations.increment();
	}

	public void error() {
		this.errors.increment();
	}

	public long operations() {
		return this.operations.sum();
	}

	public long errors() {
		return this.errors.sum();
	}

	public boolean measuresServer() {
		return this.server.isEnabled() && !this.serverGone;
	}

	public double serverCpu() {
		return measuresServer() ? guard(this.server::cpuSeconds) : -1;
	}

	public long serverRssKib() {
		return measuresServer() ? (long) guard(() -> this.server.rssKib()) : -1;
	}

	/** Starts a stretch of the run to report on its own. Called from the run's thread, as the rest below. */
	public Window openWindow(String name) {
		drain();
		Window window = new Window(name, System.nanoTime(), operations(), errors(), serverCpu(), this.generator.cpuSeconds(),
				serverRssKib(), this.recorders.keySet());
		this.windows.add(window);
		return window;
	}

	public WindowResult close(Window window) {
		drain();
		this.windows.remove(window);
		double serverCpu = window.serverCpuAtStart < 0 || !measuresServer() ? -1 : serverCpu() - window.serverCpuAtStart;
		return new WindowResult(window.name, (System.nanoTime() - window.startNanos) / 1e9, operations() - window.operationsAtStart,
				errors() - window.errorsAtStart, Collections.unmodifiableMap(window.latencies), serverCpu,
				this.generator.cpuSeconds() - window.generatorCpuAtStart, Math.max(window.rssPeakKib, serverRssKib()));
	}

	/** Closes the second: samples the server, adds a point to the timeline and prints the progress line. */
	public Sample tick(String phase, long connections) {
		drain();
		long now = System.nanoTime();
		double seconds = Math.max(1e-3, (now - this.lastTickNanos) / 1e9);
		long operations = operations();
		double cpu = serverCpu();
		long rss = serverRssKib();
		Histogram main = this.thisSecond.values().iterator().next();
		Sample sample = new Sample((now - this.startNanos) / 1e9, phase, connections, (operations - this.operationsAtLastTick) / seconds,
				main.getValueAtPercentile(50) / 1000.0, main.getValueAtPercentile(99) / 1000.0, errors(),
				cpu < 0 ? -1 : (cpu - this.serverCpuAtLastTick) * 100 / seconds, rss);
		this.timeline.add(sample);
		for (Window window : this.windows) {
			window.rssPeakKib = Math.max(window.rssPeakKib, rss);
		}
		this.thisSecond.values().forEach(Histogram::reset);
		this.lastTickNanos = now;
		this.operationsAtLastTick = operations;
		this.serverCpuAtLastTick = cpu;
		this.progress.println(progressLine(sample));
		return sample;
	}

	public List<Sample> timeline() {
		return List.copyOf(this.timeline);
	}

	private String progressLine(Sample sample) {
		String line = String.format("%5.0fs %-9s %s %6d  %s %8.0f/s  p50 %7.2f ms  p99 %7.2f ms  errors %d", sample.seconds(),
				sample.phase(), this.gauge, sample.connections(), this.unit, sample.perSecond(), sample.p50Ms(), sample.p99Ms(), sample.errors());
		if (sample.serverRssKib() >= 0) {
			line += String.format("  server cpu %3.0f%% rss %d MiB", sample.serverCpuPercent(), sample.serverRssKib() / 1024);
		}
		return line;
	}

	private void drain() {
		for (Map.Entry<String, Recorder> stream : this.recorders.entrySet()) {
			Histogram interval = stream.getValue().getIntervalHistogram();
			if (this.intervalLog != null && interval.getTotalCount() > 0) {
				interval.setTag(stream.getKey());
				this.intervalLog.outputIntervalHistogram(interval);
			}
			this.thisSecond.get(stream.getKey()).add(interval);
			for (Window window : this.windows) {
				window.latencies.get(stream.getKey()).add(interval);
			}
		}
	}

	private double guard(DoubleSupplier read) {
		try {
			return read.getAsDouble();
		}
		catch (IllegalStateException ex) {
			// The server may exit mid-run (a crash is a finding, not a reason to lose the report).
			this.serverGone = true;
			this.progress.println("server stats stop: " + ex.getMessage());
			return -1;
		}
	}

	/** An open stretch of the run; see {@link #openWindow}. */
	public static final class Window {

		private final String name;

		private final long startNanos;

		private final long operationsAtStart;

		private final long errorsAtStart;

		private final double serverCpuAtStart;

		private final double generatorCpuAtStart;

		private final Map<String, Histogram> latencies = new LinkedHashMap<>();

		private long rssPeakKib;

		private Window(String name, long startNanos, long operationsAtStart, long errorsAtStart, double serverCpuAtStart,
				double generatorCpuAtStart, long rssKib, Iterable<String> streams) {
			this.name = name;
			this.startNanos = startNanos;
			this.operationsAtStart = operationsAtStart;
			this.errorsAtStart = errorsAtStart;
			this.serverCpuAtStart = serverCpuAtStart;
			this.generatorCpuAtStart = generatorCpuAtStart;
			this.rssPeakKib = rssKib;
			for (String stream : streams) {
				this.latencies.put(stream, new Histogram(SIGNIFICANT_DIGITS));
			}
		}

	}

}
