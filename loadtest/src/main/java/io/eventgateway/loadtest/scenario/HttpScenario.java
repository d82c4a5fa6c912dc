package io.eventgateway.loadtest.scenario;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;

import io.eventgateway.loadtest.Options;
import io.eventgateway.loadtest.UsageException;
import io.eventgateway.loadtest.client.Failures;
import io.eventgateway.loadtest.client.Targets;
import io.eventgateway.loadtest.client.Tokens;
import io.eventgateway.loadtest.measure.Monitor;
import io.eventgateway.loadtest.measure.Pacer;
import io.eventgateway.loadtest.measure.Tally;
import io.eventgateway.loadtest.measure.WindowResult;
import io.eventgateway.loadtest.report.MetricKeys;
import io.eventgateway.loadtest.report.RunReport;
import io.netty.handler.codec.http.HttpHeaderNames;
import org.HdrHistogram.Recorder;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.client.HttpClientResponse;
import reactor.netty.resources.ConnectionProvider;

/**
 * Task reads at a fixed request rate: requests leave on a fixed timetable and each one's latency
 * counts from its scheduled time, waiting for a pooled connection included (open model, so
 * coordinated omission hides nothing). Reads are either plain, answered from the cache after the
 * first ({@code X-Cache: HIT}), or sent with {@code Cache-Control: no-cache}, answered from the
 * database.
 */
public final class HttpScenario implements Scenario {

	enum Cache {

		CACHED, UNCACHED;

		static Cache parse(String text) {
			try {
				return valueOf(text.toUpperCase(Locale.ROOT));
			}
			catch (IllegalArgumentException ex) {
				throw new UsageException("--cache: cached or uncached, got " + text);
			}
		}

	}

	record Settings(CommonSettings common, URI root, String team, int tasks, int rate, Duration duration, Duration warmup,
			Cache cache, int httpConnections, Duration timeout) {

		static Settings from(Options options) {
			CommonSettings common = CommonSettings.from(options, "http://127.0.0.1:8080");
			String team = options.text("team", "bench");
			if (!team.matches("[A-Za-z0-9._:-]{1,100}")) {
				throw new UsageException("--team: letters, digits and . _ : - only, got " + team);
			}
			return new Settings(common, Targets.httpRoot(common.subscriberUrls().get(0)), team, options.integer("tasks", 100, 1),
					options.integer("rate", 500, 1), options.duration("duration", Duration.ofSeconds(30)),
					options.duration("warmup", Duration.ofSeconds(5)), Cache.parse(options.text("cache", "cached")),
					options.integer("http-connections", 64, 1), options.duration("timeout", Duration.ofSeconds(5)));
		}

	}

	private final Settings settings;

	private final Tally statuses = new Tally();

	private final Tally cacheAnswers = new Tally();

	private final AtomicInteger inFlight = new AtomicInteger();

	public HttpScenario(Options options) {
		this.settings = Settings.from(options);
	}

	@Override
	public RunReport run() throws Exception {
		Settings s = this.settings;
		ConnectionProvider pool = ConnectionProvider.builder("tasks")
			.maxConnections(s.httpConnections())
			// Unbounded on purpose: the run's length bounds the queue, and a request waiting for a
			// connection is latency the report must show, not an error the generator makes up.
			.pendingAcquireMaxCount(-1)
			.pendingAcquireTimeout(s.timeout())
			.build();
		String token = new Tokens(s.common().secret()).issue("bench", List.of("team-" + s.team()),
				Instant.now().plus(Duration.ofHours(2)));
		HttpClient http = s.common().sourceAddresses().bind(HttpClient.create(pool))
			.baseUrl(s.root().toString())
			.responseTimeout(s.timeout())
			.headers(headers -> headers.set(HttpHeaderNames.AUTHORIZATION, "Bearer " + token));
		try {
			System.err.printf("creating %d tasks in team %s...%n", s.tasks(), s.team());
			List<String> ids = TaskSetup.create(http, s.team(), s.tasks());
			HttpClient reads = s.cache() == Cache.UNCACHED
					? http.headers(headers -> headers.set(HttpHeaderNames.CACHE_CONTROL, "no-cache")) : http;
			Monitor monitor = s.common().monitor("requests", MetricKeys.REQUEST).gauge("in flight");
			Recorder latency = monitor.latency(MetricKeys.REQUEST);

			long start = System.nanoTime();
			Pacer pacer = Pacer.start("requests", s.rate(), start, start + s.warmup().plus(s.duration()).toNanos(),
					(n, intended) -> read(reads, ids.get((int) (n % ids.size())), intended, monitor, latency));
			WindowResult result = RunLoop.warmupThenMeasure(monitor, start, s.warmup(), s.duration(), this.inFlight::get);
			pacer.close();
			RunLoop.until(() -> this.inFlight.get() == 0, s.timeout().plusSeconds(1));
			return report(s, pacer.issued(), monitor, result);
		}
		finally {
			pool.disposeLater().block(Duration.ofSeconds(5));
		}
	}

	private void read(HttpClient http, String id, long intended, Monitor monitor, Recorder latency) {
		this.inFlight.incrementAndGet();
		http.get()
			.uri("/api/tasks/" + id)
			.responseSingle((response, body) -> body.asString().defaultIfEmpty("").thenReturn(response))
			.subscribe(response -> {
				latency.recordValue(Math.max(0, (System.nanoTime() - intended) / 1000));
				answered(response, monitor);
			}, error -> {
				this.statuses.add(Failures.describe(error));
				monitor.error();
				this.inFlight.decrementAndGet();
			});
	}

	private void answered(HttpClientResponse response, Monitor monitor) {
		int status = response.status().code();
		this.statuses.add(String.valueOf(status));
		String cache = response.responseHeaders().get("X-Cache");
		this.cacheAnswers.add(cache == null ? "(none)" : cache.toUpperCase(Locale.ROOT));
		if (status >= 400) {
			monitor.error();
		}
		monitor.operation();
		this.inFlight.decrementAndGet();
	}

	private RunReport report(Settings s, long sent, Monitor monitor, WindowResult result) {
		long hits = this.cacheAnswers.count("HIT");
		long misses = this.cacheAnswers.count("MISS");
		RunReport.Builder report = RunReport.builder("http", "requests");
		report.parameter("team / tasks", s.team() + " / " + s.tasks())
			.parameter("request rate (target)", s.rate() + "/s")
			.parameter("cache", s.cache().name().toLowerCase(Locale.ROOT))
			.parameter("HTTP connections (pool)", s.httpConnections())
			.parameter("warmup / duration / timeout", Options.durationText(s.warmup()) + " / " + Options.durationText(s.duration()) + " / "
					+ Options.durationText(s.timeout()));
		s.common().describe(report);
		return report.count("sent", "requests sent", sent)
			.count("answered", "requests answered", monitor.operations())
			.count(MetricKeys.ERRORS, "errors (failed or status ≥ 400)", monitor.errors())
			.metric(MetricKeys.HIT_RATIO, "cache hit ratio (HIT / (HIT + MISS))", hits + misses == 0 ? 0 : (double) hits / (hits + misses),
					"", 3)
			.measured(result)
			.counts("status codes", "status", this.statuses.snapshot())
			.counts("X-Cache answers", "X-Cache", this.cacheAnswers.snapshot())
			.timeline(monitor.timeline())
			.build();
	}

}
