package io.eventgateway.loadtest.chaos;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import io.eventgateway.loadtest.Options;
import io.eventgateway.loadtest.measure.PrometheusHeap;
import io.eventgateway.loadtest.report.RunReport;
import io.eventgateway.loadtest.scenario.Scenario;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogWriter;

/**
 * One chaos run: a testbed of its own, clients publishing with ids into rooms and subscribing,
 * one {@link Fault} injected (and healed) at a seeded moment, then the traffic settled, the store
 * and presence read back, and the whole {@link History} judged by the {@link HistoryChecker}.
 */
public final class ChaosScenario implements Scenario {

	/** Generous: a fault's end to the next acknowledgement, on two shared cores. */
	static final Duration RESUME_WITHIN = Duration.ofSeconds(20);

	private static final Duration READINESS_GRACE = Duration.ofSeconds(10);

	private static final Duration SETTLE = Duration.ofSeconds(40);

	/**
	 * The JDK client's SO_RCVBUF, read at each connect. Left to autotuning on loopback a socket's
	 * receive buffer grows to megabytes, so a client that stops reading swallows minutes of events
	 * before the gateway sees it; at 64 KiB it is the gateway's own bounds that a stalled client outgrows.
	 */
	private static final String CLIENT_RECEIVE_BUFFER = "jdk.httpclient.receiveBufferSize";

	/** Past the presence lease (6 s) and its write delay. */
	private static final Duration PRESENCE_WAIT = Duration.ofSeconds(15);

	private final ChaosSettings settings;

	private final PrintStream progress;

	private ChaosOutcome outcome;

	public ChaosScenario(ChaosSettings settings, PrintStream progress) {
		this.settings = settings;
		this.progress = progress;
	}

	/** The figures of the last run, for the reliability table. */
	public ChaosOutcome outcome() {
		return this.outcome;
	}

	@Override
	public RunReport run() throws Exception {
		ChaosSettings s = this.settings;
		Fault fault = s.fault();
		this.progress.println("chaos " + fault.command + " seed " + s.seed() + " (" + s.variant() + "): " + fault.description);
		Path directory = s.workDirectory();
		Path historyFile = s.historyFile() != null ? s.historyFile() : directory.resolve("history.jsonl");
		Random random = new Random(s.seed());
		String receiveBufferBefore = fault == Fault.SLOW ? System.setProperty(CLIENT_RECEIVE_BUFFER, String.valueOf(64 * 1024)) : null;
		HttpClient http = HttpClient.newHttpClient();
		ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2, runnable -> {
			Thread thread = new Thread(runnable, "chaos-scheduler");
			thread.setDaemon(true);
			return thread;
		});
		DeliveryLatency latency = new DeliveryLatency();
		HistogramLogWriter intervalLog = s.histogramLog() == null ? null
				: new HistogramLogWriter(new PrintStream(Files.newOutputStream(s.histogramLog()), true, StandardCharsets.UTF_8));
		ResourceSamples resources = new ResourceSamples();
		long startedNanos = System.nanoTime();
		try (Testbed testbed = new Testbed(directory, s.postgres(), s.seed()); History history = new History(historyFile)) {
			testbed.startInstances(s.instances(), s.gatewayJar(), s.heap(), properties(fault));
			this.progress.println("  " + s.instances() + " instances ready after " + seconds(startedNanos) + " s; history " + historyFile);
			Set<Integer> avoided = new HashSet<>();
			AtomicInteger turn = new AtomicInteger();
			java.util.function.Supplier<URI> picker = () -> {
				List<GatewayInstance> live = testbed.live().stream().filter(i -> !avoided.contains(testbed.instances.indexOf(i))).toList();
				List<GatewayInstance> from = live.isEmpty() ? testbed.live() : live;
				return from.get(Math.floorMod(turn.getAndIncrement(), from.size())).webSocket();
			};
			String apiToken = testbed.tokens.issue("chaos-reader", List.of("chaos-*"), Instant.now().plus(Duration.ofHours(2)));
			GatewayApi api = new GatewayApi(http, apiToken);
			Duration reconnectDelay = fault == Fault.STORM ? Duration.ZERO : Duration.ofMillis(200 + random.nextInt(300));
			List<ChaosClient> clients = new ArrayList<>();
			for (int i = 0; i < s.clients(); i++) {
				String name = "c" + i;
				String room = "chaos-" + (i % s.rooms());
				clients.add(new ChaosClient(name, room, testbed.tokens.issue(name, List.of("chaos-*"), Instant.now().plus(Duration.ofHours(2))),
						http, history, scheduler, picker, reconnectDelay, latency, s.payload()));
			}
			for (int i = 0; i < clients.size(); i++) {
				clients.get(i).connect(testbed.instances.get(i % s.instances()).webSocket());
			}
			await(() -> clients.stream().allMatch(ChaosClient::isLive), Duration.ofSeconds(30), "every client joined");

			ReadinessWatch readiness = new ReadinessWatch(testbed, history);
			scheduler.scheduleAtFixedRate(readiness::sample, 0, 250, TimeUnit.MILLISECONDS);
			AtomicLong publishes = new AtomicLong();
			long periodMicros = 1_000_000L / Math.max(1, s.rate());
			var publishing = scheduler.scheduleAtFixedRate(() -> {
				clients.get(random.nextInt(clients.size())).publish();
				publishes.incrementAndGet();
			}, 0, periodMicros, TimeUnit.MICROSECONDS);
			scheduler.scheduleAtFixedRate(() -> clients.forEach(ChaosClient::resendOverdue), 500, 500, TimeUnit.MILLISECONDS);
			scheduler.scheduleAtFixedRate(() -> {
				Histogram interval = latency.sample();
				if (intervalLog != null && interval.getTotalCount() > 0) {
					interval.setTag("delivery");
					intervalLog.outputIntervalHistogram(interval);
				}
				resources.sampleHeap(testbed, http);
			}, 1, 1, TimeUnit.SECONDS);

			long loadStart = System.nanoTime();
			Duration before = Duration.ofSeconds(4 + random.nextInt(3));
			List<ChaosClient> slow = new ArrayList<>();
			if (fault != Fault.SOAK) {
				ChildProcesses.sleep(before);
				history.add(new Observation.Fault(history.now(), fault.command, "start", fault.readiness));
				this.progress.println("  " + fault.command + " at " + seconds(startedNanos) + " s");
				inject(fault, testbed, clients, avoided, slow, random);
				latency.faultLasting(fault.heals);
				if (fault.heals) {
					Duration half = fault.hold().dividedBy(2);
					ChildProcesses.sleep(half);
					if (fault == Fault.SLOW) {
						resources.sampleLiveHeap(testbed);
					}
					ChildProcesses.sleep(fault.hold().minus(half));
					heal(fault, testbed, slow);
					latency.faultLasting(false);
					history.add(new Observation.Fault(history.now(), fault.command, "heal", fault.readiness));
					this.progress.println("  healed at " + seconds(startedNanos) + " s");
				}
			}
			while (System.nanoTime() - loadStart < s.duration().toNanos()) {
				if (fault == Fault.SOAK) {
					resources.sampleAfterGc(testbed);
				}
				ChildProcesses.sleep(fault == Fault.SOAK ? s.soakSampleInterval() : Duration.ofMillis(200));
			}
			publishing.cancel(false);
			this.progress.println("  publishing stopped at " + seconds(startedNanos) + " s after " + publishes.get() + " publishes; settling");
			await(() -> clients.stream().allMatch(c -> c.pendingPublishes() == 0), SETTLE, "every publish acknowledged");
			Map<String, Long> newest = newestAcked(history);
			await(() -> clients.stream().allMatch(c -> c.isLive() && c.lastSeq() >= newest.getOrDefault(c.room(), 0L)), SETTLE,
					"every client caught up");

			checkPresence(testbed, api, clients, history);
			GatewayInstance reader = testbed.live().get(0);
			for (String room : rooms(s)) {
				api.storedEvents(reader, room, history).forEach(history::add);
			}
			for (ChaosClient client : clients) {
				history.add(new Observation.Final(history.now(), client.name(), client.room(), client.isLive()));
			}
			long slowClosed = fault == Fault.SLOW ? resources.slowConsumerCloses(testbed) : 0;
			scheduler.shutdownNow();
			clients.forEach(ChaosClient::stop);

			HistoryChecker.Result result = new HistoryChecker(RESUME_WITHIN, READINESS_GRACE).check(history.observations());
			this.outcome = new ChaosOutcome(s, result, latency.whole(), latency.whileFaulty(), resources, slowClosed, slow.size(),
					historyFile, seconds(startedNanos));
			this.progress.println("  " + (result.passed() ? "no violation" : "VIOLATIONS:\n" + result));
			this.progress.println("  replay: " + s.replayCommand());
			return this.outcome.report();
		}
		finally {
			scheduler.shutdownNow();
			if (fault == Fault.SLOW) {
				restore(CLIENT_RECEIVE_BUFFER, receiveBufferBefore);
			}
			if (intervalLog != null) {
				intervalLog.close();
			}
		}
	}

	private static void restore(String property, String value) {
		if (value == null) {
			System.clearProperty(property);
		}
		else {
			System.setProperty(property, value);
		}
	}

	private static List<String> properties(Fault fault) {
		// The whole run stays in the store: the checker compares every acknowledged event with it, and
		// retention (10,000 events per room by default) would remove the first ones of a long soak.
		List<String> properties = new ArrayList<>(List.of("gateway.ws.drain-window=2s", "spring.lifecycle.timeout-per-shutdown-phase=10s",
				"logging.level.root=WARN", "gateway.history.retain-events=10000000"));
		if (fault == Fault.SLOW) {
			// Small outbound bounds, so a consumer that stops reading overflows within seconds.
			// The kernel's send buffer capped too: autotuned on loopback it holds 4 MB per stalled client.
			properties.addAll(List.of("gateway.ws.outbound-max-messages=256", "gateway.ws.max-pending-publishes=128", "gateway.ws.outbound-max-size=128KB",
					"gateway.ws.write-buffer-high-water-mark=64KB", "gateway.ws.write-buffer-low-water-mark=32KB", "gateway.ws.socket-send-buffer=64KB"));
		}
		return properties;
	}

	private void inject(Fault fault, Testbed testbed, List<ChaosClient> clients, Set<Integer> avoided, List<ChaosClient> slow,
			Random random) {
		switch (fault) {
			case SIGKILL -> testbed.instances.get(0).kill();
			case SIGTERM -> testbed.instances.get(0).terminate();
			case REDIS_RESTART -> testbed.redis.kill();
			case REDIS_PAUSE -> testbed.redis.pause();
			case POSTGRES_CUT -> testbed.databaseProxy.cut();
			case POSTGRES_SLOW -> testbed.databaseProxy.slow(Duration.ofMillis(150), 0);
			case STORM -> {
				avoided.add(0);
				for (int i = 0; i < clients.size(); i += this.settings.instances()) {
					clients.get(i).drop();
				}
			}
			case SLOW -> {
				List<ChaosClient> shuffled = new ArrayList<>(clients);
				java.util.Collections.shuffle(shuffled, random);
				slow.addAll(shuffled.subList(0, Math.max(1, clients.size() / 10)));
				slow.forEach(ChaosClient::stopReading);
			}
			case SOAK -> {
			}
		}
	}

	private static void heal(Fault fault, Testbed testbed, List<ChaosClient> slow) {
		switch (fault) {
			case REDIS_RESTART -> testbed.redis.start();
			case REDIS_PAUSE -> testbed.redis.resume();
			case POSTGRES_CUT, POSTGRES_SLOW -> testbed.databaseProxy.heal();
			case SLOW -> slow.forEach(ChaosClient::resumeReading);
			default -> {
			}
		}
	}

	/** Presence of each room, once the lease passed, must list exactly the live clients, one connection each. */
	private static void checkPresence(Testbed testbed, GatewayApi api, List<ChaosClient> clients, History history)
			throws IOException, InterruptedException {
		Map<String, Map<String, Integer>> expected = new TreeMap<>();
		for (ChaosClient client : clients) {
			Map<String, Integer> members = expected.computeIfAbsent(client.room(), room -> new TreeMap<>());
			if (client.isLive()) {
				members.put(client.name(), 1);
			}
		}
		GatewayInstance reader = testbed.live().get(0);
		long deadline = System.nanoTime() + PRESENCE_WAIT.toNanos();
		for (Map.Entry<String, Map<String, Integer>> room : expected.entrySet()) {
			Map<String, Integer> observed = api.presence(reader, room.getKey());
			while (!observed.equals(room.getValue()) && System.nanoTime() < deadline) {
				ChildProcesses.sleep(Duration.ofMillis(250));
				observed = api.presence(reader, room.getKey());
			}
			history.add(new Observation.Presence(history.now(), room.getKey(), observed, room.getValue()));
		}
	}

	private static Map<String, Long> newestAcked(History history) {
		Map<String, Long> newest = new TreeMap<>();
		for (Observation observation : history.observations()) {
			if (observation instanceof Observation.Ack ack) {
				newest.merge(ack.room(), ack.seq(), Math::max);
			}
		}
		return newest;
	}

	private static List<String> rooms(ChaosSettings s) {
		List<String> rooms = new ArrayList<>();
		for (int i = 0; i < Math.min(s.rooms(), s.clients()); i++) {
			rooms.add("chaos-" + i);
		}
		return rooms;
	}

	private static void await(java.util.function.BooleanSupplier condition, Duration timeout, String what) {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (!condition.getAsBoolean()) {
			if (System.nanoTime() > deadline) {
				// Not thrown: the checker names what is missing, which says more than a timeout.
				System.err.println("  not reached within " + Options.durationText(timeout) + ": " + what);
				return;
			}
			ChildProcesses.sleep(Duration.ofMillis(100));
		}
	}

	private static long seconds(long sinceNanos) {
		return (System.nanoTime() - sinceNanos) / 1_000_000_000L;
	}

	/** Samples readiness of every instance and records each change. */
	private static final class ReadinessWatch {

		private final Testbed testbed;

		private final History history;

		private final Map<String, Boolean> last = new java.util.concurrent.ConcurrentHashMap<>();

		ReadinessWatch(Testbed testbed, History history) {
			this.testbed = testbed;
			this.history = history;
		}

		void sample() {
			for (GatewayInstance instance : this.testbed.live()) {
				boolean ready = instance.readiness() == 200;
				if (!instance.isAlive()) {
					continue;
				}
				Boolean before = this.last.put(instance.name(), ready);
				if (before == null || before != ready) {
					this.history.add(new Observation.Readiness(this.history.now(), instance.name(), ready));
				}
			}
		}

	}

}
