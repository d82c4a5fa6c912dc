package io.eventgateway.loadtest;

import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import reactor.core.publisher.Flux;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

/**
 * C subscribers in R rooms, P publishers sending durable events at a fixed total rate M (open
 * model: latency counts from each publish's intended send time, so a slow server cannot hide behind
 * a slow generator). Reports deliveries, latency, acks, gaps and duplicates, and the server's CPU
 * per delivery when it runs here. Subscribers and publishers may use different gateway URLs, which
 * measures cross-instance delivery.
 */
final class FanoutScenario {

	/** Publishers stay under the gateway's default per-connection publish rate. */
	private static final int MAX_RATE_PER_PUBLISHER = 400;

	record Settings(List<URI> subscriberUrls, List<URI> publisherUrls, String secret, int connections, int rooms,
			int publishers, int rate, int payload, Duration duration, Duration warmup, int connectConcurrency,
			List<Long> serverPids, String reportJson) {

		static Settings from(Options options) {
			String url = options.text("url", "ws://127.0.0.1:8080/ws");
			int rate = options.integer("rate", 1000);
			return new Settings(urls(options.text("subscriber-urls", url)), urls(options.text("publisher-urls", url)),
					options.required("secret"), options.integer("connections", 1000), options.integer("rooms", 10),
					Math.max(options.integer("publishers", 10), (rate + MAX_RATE_PER_PUBLISHER - 1) / MAX_RATE_PER_PUBLISHER),
					rate, options.integer("payload", 100), options.duration("duration", Duration.ofSeconds(30)),
					options.duration("warmup", Duration.ofSeconds(5)), options.integer("connect-concurrency", 100),
					Arrays.stream(options.text("server-pid", "").split(",")).filter(s -> !s.isBlank()).map(Long::valueOf).toList(),
					options.text("report-json", null));
		}

		private static List<URI> urls(String list) {
			List<URI> urls = Arrays.stream(list.split(",")).map(URI::create).toList();
			for (URI url : urls) {
				try {
					if (!InetAddress.getByName(url.getHost()).isLoopbackAddress()) {
						throw new IllegalArgumentException("only loopback targets are allowed, not " + url);
					}
				}
				catch (IOException ex) {
					throw new IllegalArgumentException("cannot resolve " + url, ex);
				}
			}
			return urls;
		}

	}

	private final Settings settings;

	private final Recorder deliveryLatency = new Recorder(3);

	private final Recorder ackLatency = new Recorder(3);

	private final Histogram deliveryTotal = new Histogram(3);

	private final Histogram ackTotal = new Histogram(3);

	private final AtomicLong deliveries = new AtomicLong();

	private final AtomicLong measuredDeliveries = new AtomicLong();

	private final AtomicLong acks = new AtomicLong();

	private final AtomicLong errors = new AtomicLong();

	private final AtomicLong gaps = new AtomicLong();

	private final AtomicLong duplicates = new AtomicLong();

	private final AtomicLongArray acksPerRoom;

	private final String padding;

	private volatile long startNanos;

	private volatile long measureFromNanos;

	FanoutScenario(Settings settings) {
		this.settings = settings;
		this.acksPerRoom = new AtomicLongArray(settings.rooms());
		this.padding = "x".repeat(Math.max(0, settings.payload() - 30));
	}

	boolean run() throws Exception {
		Settings s = this.settings;
		Tokens tokens = new Tokens(s.secret());
		String token = tokens.issue("bench", List.of("bench-*"), Instant.now().plus(Duration.ofHours(2)));
		HttpClient http = HttpClient.create(ConnectionProvider.newConnection());
		ServerStats server = new ServerStats(s.serverPids());
		ServerStats generator = new ServerStats(List.of(ProcessHandle.current().pid()));
		long rssAtRest = server.isEnabled() ? server.rssKib() : 0;

		System.out.printf("opening %d subscribers in %d rooms and %d publishers...%n", s.connections(), s.rooms(), s.publishers());
		List<BenchConnection> subscribers = Flux.range(0, s.connections())
			.flatMap(i -> BenchConnection.open(http, s.subscriberUrls().get(i % s.subscriberUrls().size()), token, i, this::onLine)
				.doOnNext(connection -> connection.send("{\"type\":\"join\",\"room\":\"bench-" + (i % s.rooms()) + "\"}")),
					s.connectConcurrency())
			.collectList()
			.block(Duration.ofMinutes(5));
		List<BenchConnection> publishers = Flux.range(0, s.publishers())
			.flatMap(i -> BenchConnection.open(http, s.publisherUrls().get(i % s.publisherUrls().size()), token, -1, this::onLine))
			.collectList()
			.block(Duration.ofMinutes(1));
		Thread.sleep(1_000);
		long rssConnected = server.isEnabled() ? server.rssKib() : 0;

		ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor();
		long[] sent = new long[1];
		this.startNanos = System.nanoTime();
		this.measureFromNanos = this.startNanos + s.warmup().toNanos();
		long endNanos = this.startNanos + s.warmup().toNanos() + s.duration().toNanos();
		StringBuilder[] frames = new StringBuilder[publishers.size()];
		for (int i = 0; i < frames.length; i++) {
			frames[i] = new StringBuilder();
		}
		ticker.scheduleAtFixedRate(() -> {
			long now = System.nanoTime();
			long due = Math.min(now, endNanos) - this.startNanos;
			long target = due * s.rate() / 1_000_000_000L;
			while (sent[0] < target) {
				long n = sent[0]++;
				long intended = this.startNanos + n * 1_000_000_000L / s.rate();
				frames[(int) (n % frames.length)].append("{\"type\":\"publish\",\"room\":\"bench-").append(n % s.rooms())
					.append("\",\"event\":\"bench\",\"data\":{\"t\":").append(intended).append(",\"p\":\"").append(this.padding)
					.append("\"},\"ref\":\"").append(n).append("\"}\n");
			}
			for (int i = 0; i < frames.length; i++) {
				if (frames[i].length() > 0) {
					publishers.get(i).send(frames[i].toString());
					frames[i].setLength(0);
				}
			}
		}, 0, 1, TimeUnit.MILLISECONDS);

		double cpuAtMeasureStart = 0;
		double generatorCpuAtMeasureStart = 0;
		long peakRss = rssConnected;
		boolean measuring = false;
		while (System.nanoTime() < endNanos) {
			Thread.sleep(1_000);
			if (!measuring && System.nanoTime() >= this.measureFromNanos) {
				measuring = true;
				cpuAtMeasureStart = server.isEnabled() ? server.cpuSeconds() : 0;
				generatorCpuAtMeasureStart = generator.cpuSeconds();
				this.deliveryLatency.getIntervalHistogram();
				this.ackLatency.getIntervalHistogram();
			}
			Histogram second = this.deliveryLatency.getIntervalHistogram();
			Histogram ackSecond = this.ackLatency.getIntervalHistogram();
			if (measuring) {
				this.deliveryTotal.add(second);
				this.ackTotal.add(ackSecond);
				peakRss = server.isEnabled() ? Math.max(peakRss, server.rssKib()) : 0;
			}
			System.out.printf("%s sent %d, acks %d, deliveries %d/s, p50 %.1f ms, p99 %.1f ms, errors %d%n",
					measuring ? "measure" : "warmup ", sent[0], this.acks.get(), second.getTotalCount(),
					second.getValueAtPercentile(50) / 1000.0, second.getValueAtPercentile(99) / 1000.0, this.errors.get());
		}
		ticker.shutdown();
		ticker.awaitTermination(5, TimeUnit.SECONDS);
		double measuredSeconds = (System.nanoTime() - this.measureFromNanos) / 1e9;
		double cpuUsed = server.isEnabled() ? server.cpuSeconds() - cpuAtMeasureStart : 0;
		double generatorCpuUsed = generator.cpuSeconds() - generatorCpuAtMeasureStart;
		long measured = this.measuredDeliveries.get();

		long expected = expectedDeliveries();
		long drainUntil = System.nanoTime() + Duration.ofSeconds(5).toNanos();
		while ((this.deliveries.get() < expectedDeliveries() || this.acks.get() < sent[0]) && System.nanoTime() < drainUntil) {
			Thread.sleep(50);
		}
		expected = expectedDeliveries();
		this.deliveryTotal.add(this.deliveryLatency.getIntervalHistogram());
		this.ackTotal.add(this.ackLatency.getIntervalHistogram());
		subscribers.forEach(BenchConnection::close);
		publishers.forEach(BenchConnection::close);

		Report report = new Report(s, sent[0], this.acks.get(), this.errors.get(), expected, this.deliveries.get(),
				this.gaps.get(), this.duplicates.get(), measured / measuredSeconds, this.deliveryTotal, this.ackTotal,
				server.isEnabled() ? cpuUsed * 1e6 / Math.max(1, measured) : -1, generatorCpuUsed * 1e6 / Math.max(1, measured),
				rssAtRest, rssConnected, peakRss);
		report.print();
		if (s.reportJson() != null) {
			Files.writeString(Path.of(s.reportJson()), report.json());
		}
		return report.passed();
	}

	private long expectedDeliveries() {
		long expected = 0;
		for (int room = 0; room < this.settings.rooms(); room++) {
			int members = this.settings.connections() / this.settings.rooms()
					+ (room < this.settings.connections() % this.settings.rooms() ? 1 : 0);
			expected += this.acksPerRoom.get(room) * members;
		}
		return expected;
	}

	private void onLine(BenchConnection connection, String line, long now) {
		if (Lines.isType(line, "event")) {
			long seq = Lines.number(line, "seq");
			long sentAt = Lines.number(line, "t");
			if (seq != connection.lastSeq + 1) {
				if (seq <= connection.lastSeq) {
					this.duplicates.incrementAndGet();
				}
				else {
					this.gaps.addAndGet(seq - connection.lastSeq - 1);
				}
			}
			connection.lastSeq = Math.max(seq, connection.lastSeq);
			this.deliveries.incrementAndGet();
			if (now >= this.measureFromNanos) {
				this.measuredDeliveries.incrementAndGet();
				this.deliveryLatency.recordValue(Math.max(0, (now - sentAt) / 1000));
			}
		}
		else if (Lines.isType(line, "ack")) {
			long n = Long.parseLong(Lines.text(line, "ref"));
			this.acksPerRoom.incrementAndGet((int) (n % this.settings.rooms()));
			this.acks.incrementAndGet();
			if (now >= this.measureFromNanos) {
				this.ackLatency.recordValue(Math.max(0, (now - (this.startNanos + n * 1_000_000_000L / this.settings.rate())) / 1000));
			}
		}
		else if (Lines.isType(line, "joined")) {
			connection.lastSeq = Lines.number(line, "seq");
		}
		else if (Lines.isType(line, "error")) {
			if (this.errors.incrementAndGet() <= 5) {
				System.out.println("error from server: " + line);
			}
		}
	}

}
