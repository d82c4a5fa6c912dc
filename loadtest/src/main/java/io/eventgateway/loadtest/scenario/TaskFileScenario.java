package io.eventgateway.loadtest.scenario;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

import io.eventgateway.loadtest.Options;
import io.eventgateway.loadtest.UsageException;
import io.eventgateway.loadtest.client.BenchConnection;
import io.eventgateway.loadtest.client.Tokens;
import io.eventgateway.loadtest.report.MetricKeys;
import io.eventgateway.loadtest.report.RunReport;
import org.HdrHistogram.Histogram;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

/**
 * From the end of a task-file write to the {@code task.updated} event at a connected client. The
 * gateway must watch {@code --watch-dir}; each write changes one task's title and waits for its
 * event, then pauses {@code --interval} (longer than the gateway's stability threshold, so every
 * write is applied on its own). The figure is the threshold plus the gateway's own work.
 */
public final class TaskFileScenario implements Scenario {

	static final String FILE_LATENCY = "file";

	record Settings(CommonSettings common, Path watchDir, String team, int writes, int tasks, Duration interval,
			Duration timeout) {

		static Settings from(Options options) {
			CommonSettings common = CommonSettings.from(options, "ws://127.0.0.1:8080/ws");
			Path dir = Path.of(options.required("watch-dir"));
			if (!Files.isDirectory(dir)) {
				throw new UsageException("--watch-dir: no such folder " + dir);
			}
			String team = options.text("team", "bench-files");
			if (!team.matches("[A-Za-z0-9._-]{1,64}")) {
				throw new UsageException("--team: letters, digits and . _ - only, got " + team);
			}
			return new Settings(common, dir, team, options.integer("writes", 200, 1), options.integer("tasks", 10, 1),
					options.duration("interval", Duration.ofMillis(300)), options.duration("timeout", Duration.ofSeconds(10)));
		}

	}

	private final Settings settings;

	public TaskFileScenario(Options options) {
		this.settings = Settings.from(options);
	}

	@Override
	public RunReport run() throws Exception {
		Settings s = this.settings;
		Path file = Files.createDirectories(s.watchDir().resolve(s.team())).resolve("tasks.json");
		BlockingQueue<Arrival> arrivals = new ArrayBlockingQueue<>(1024);
		String token = new Tokens(s.common().secret()).issue("bench-files", List.of("team-" + s.team()),
				Instant.now().plus(Duration.ofHours(2)));
		HttpClient http = s.common().sourceAddresses().bind(HttpClient.create(ConnectionProvider.newConnection()));
		BenchConnection connection = BenchConnection.open(http, s.common().subscriberUrls().get(0), token, 0,
				(conn, line, now) -> {
					if (line.contains("\"task.") || line.contains("\"joined\"")) {
						arrivals.offer(new Arrival(line, now));
					}
				})
			.block(s.timeout());
		Histogram latency = new Histogram(TimeUnit.SECONDS.toMicros(60), 3);
		long missed = 0;
		try {
			connection.send("{\"type\":\"join\",\"room\":\"team-" + s.team() + "\"}");
			await(arrivals, "\"joined\"", s.timeout());
			// The first version creates the tasks; the measured writes each change one of them.
			Files.writeString(file, content(s.tasks(), 0));
			awaitCount(arrivals, "task.created", s.tasks(), s.timeout());
			for (int write = 1; write <= s.writes(); write++) {
				Files.writeString(file, content(s.tasks(), write));
				long written = System.nanoTime();
				Arrival arrival = await(arrivals, "\"title\":\"w" + write + "\"", s.timeout());
				if (arrival == null) {
					missed++;
				}
				else {
					latency.recordValue(Math.max(0, (arrival.nanos() - written) / 1000));
				}
				if (write % 20 == 0) {
					System.err.printf("%d/%d writes, p50 %.1f ms%n", write, s.writes(), latency.getValueAtPercentile(50) / 1000.0);
				}
				Thread.sleep(s.interval().toMillis());
			}
		}
		finally {
			connection.close();
		}
		RunReport.Builder report = RunReport.builder("taskfile", "writes");
		report.parameter("watch dir / team", s.watchDir() + " / " + s.team())
			.parameter("writes / tasks in the file", s.writes() + " / " + s.tasks())
			.parameter("pause between writes", Options.durationText(s.interval()));
		s.common().describe(report);
		return report.count("applied", "writes seen as task.updated", latency.getTotalCount())
			.count(MetricKeys.ERRORS, "writes whose event did not come within the timeout", missed)
			.latency(FILE_LATENCY, latency)
			.check("every write announced", missed == 0, missed + " missed")
			.build();
	}

	// Task 1 carries the write's number in its title; the other tasks stay the same.
	private static String content(int tasks, int write) {
		StringBuilder json = new StringBuilder("{\"master\":{\"tasks\":[");
		for (int id = 1; id <= tasks; id++) {
			json.append(id == 1 ? "" : ",").append("{\"id\":").append(id).append(",\"title\":\"")
				.append(id == 1 ? "w" + write : "task " + id)
				.append("\",\"status\":\"pending\",\"priority\":\"medium\",\"dependencies\":[]}");
		}
		return json.append("]}}").toString();
	}

	private static Arrival await(BlockingQueue<Arrival> arrivals, String marker, Duration timeout) throws InterruptedException {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (System.nanoTime() < deadline) {
			Arrival arrival = arrivals.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
			if (arrival != null && arrival.line().contains(marker)) {
				return arrival;
			}
		}
		return null;
	}

	private static void awaitCount(BlockingQueue<Arrival> arrivals, String marker, int count, Duration timeout)
			throws InterruptedException {
		for (int i = 0; i < count; i++) {
			if (await(arrivals, marker, timeout) == null) {
				throw new IllegalStateException("the gateway did not announce the task file's tasks: is it watching the folder?");
			}
		}
	}

	private record Arrival(String line, long nanos) {
	}

}
