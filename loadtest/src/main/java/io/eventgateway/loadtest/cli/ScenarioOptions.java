package io.eventgateway.loadtest.cli;

import java.util.List;

import static io.eventgateway.loadtest.cli.OptionDoc.of;
import static io.eventgateway.loadtest.cli.OptionDoc.repeatable;

/** The options of each command, as {@code --help} lists them; their meaning in {@code loadtest/README-scenarios.md}. */
public final class ScenarioOptions {

	public static final List<OptionDoc> SECRET = List.of(of("secret", "SECRET", "$GATEWAY_AUTH_JWT_SECRET",
			"The gateway's HS256 secret (at least 32 bytes). Prefer exporting GATEWAY_AUTH_JWT_SECRET: a flag shows in ps and in shell history."));

	/** Where the gateways are and what to report: every scenario that drives a running gateway. */
	public static final List<OptionDoc> COMMON = OptionDoc.join(SECRET, List.of(
			of("url", "URL", "ws://127.0.0.1:8080/ws", "The gateway; a comma list spreads connections over several."),
			of("subscriber-urls", "URLS", "--url", "Gateways for subscribers (comma list)."),
			of("publisher-urls", "URLS", "--url", "Gateways for publishers (comma list)."),
			of("server-pid", "PIDS", null, "Gateway process ids on this machine (comma list): server CPU and RSS from /proc."),
			of("source-addresses", "ADDRESSES", null, "Local addresses to connect from in turn: 127.0.0.1-127.0.0.20 or a comma list."),
			of("connect-concurrency", "N", "100", "WebSocket handshakes in flight at once."),
			repeatable("threshold", "LIMIT", "A limit that makes the exit code a verdict: p99<50ms, errors=0, rate>=1000 (repeatable)."),
			of("report-json", "FILE", null, "Write the report as JSON."),
			of("report-hgrm", "FILE", null, "Write the main latency's percentile distribution (HdrHistogram .hgrm, ms)."),
			of("report-html", "FILE", null, "Write the report as one HTML page with charts.")));

	public static final OptionDoc HISTOGRAM_LOG = of("histogram-log", "FILE", null,
			"Write every latency stream's histogram once a second, as an HdrHistogram interval log (tag = stream, microseconds).");

	/** Durable traffic into rooms bench-*. */
	public static final List<OptionDoc> TRAFFIC = List.of(
			of("rooms", "N", "10", "Rooms the traffic is spread over."),
			of("rate", "PER_SECOND", "scenario's", "Durable publishes per second, all publishers together."),
			of("payload", "BYTES", "100", "Size of each event's data."),
			of("publishers", "N", "scenario's", "Publishing connections."),
			of("ids", "true|false", "false", "Give every publish an event id (an idempotent publish)."));

	public static final List<OptionDoc> MEASURED = OptionDoc.join(COMMON, List.of(HISTOGRAM_LOG));

	public static final List<OptionDoc> FANOUT = OptionDoc.join(MEASURED, TRAFFIC, List.of(
			of("connections", "N", "1000", "Subscribers."),
			of("warmup", "DURATION", "5s", "Traffic before the measurement, not reported."),
			of("duration", "DURATION", "30s", "How long the measurement lasts.")));

	public static final List<OptionDoc> RAMP = OptionDoc.join(MEASURED, TRAFFIC, List.of(
			of("stages", "TARGET:DURATION,...", "100:10s,500:10s,1000:20s,0:10s", "Connection targets, each reached linearly over its duration.")));

	public static final List<OptionDoc> CONNECT = OptionDoc.join(MEASURED, List.of(
			of("connections", "N", "1000", "Connections to open."),
			of("connect-rate", "PER_SECOND", "0 (as fast as --connect-concurrency allows)", "Connections opened per second."),
			of("hold", "DURATION", "10s", "How long connections are held idle before memory is read."),
			of("rooms", "N", "10", "Rooms the connections join."),
			of("baseline", "DURATION", "0s", "Measure the server's own idle CPU this long before connecting.")));

	public static final List<OptionDoc> RECOVERY = OptionDoc.join(MEASURED, TRAFFIC, List.of(
			of("connections", "N", "100", "Subscribers."),
			of("duration", "DURATION", "20s", "How long publishing lasts."),
			of("drop-interval", "DURATION", "3s", "Mean time between a subscriber's drops."),
			of("reconnect-delay", "DURATION", "200ms", "Longest wait before rejoining.")));

	public static final List<OptionDoc> HTTP = OptionDoc.join(List.of(
			of("url", "URL", "http://127.0.0.1:8080", "The gateway; a comma list spreads requests over several.")), MEASURED, List.of(
			of("team", "NAME", "bench", "Team whose tasks are created and read."),
			of("tasks", "N", "100", "Tasks created, then read in turn."),
			of("rate", "PER_SECOND", "500", "Requests per second."),
			of("warmup", "DURATION", "5s", "Requests before the measurement, not reported."),
			of("duration", "DURATION", "30s", "How long the measurement lasts."),
			of("cache", "cached|uncached", "cached", "Plain GETs, or Cache-Control: no-cache."),
			of("http-connections", "N", "64", "Most HTTP connections in the pool."),
			of("timeout", "DURATION", "5s", "Longest one request may take.")));

	public static final List<OptionDoc> TASKFILE = OptionDoc.join(COMMON, List.of(
			of("watch-dir", "DIR", null, "The folder the gateway watches (gateway.tasks.watch-dir); required."),
			of("team", "NAME", "bench-files", "Team whose task file is written."),
			of("tasks", "N", "10", "Tasks in the file."),
			of("writes", "N", "200", "Changes written."),
			of("interval", "DURATION", "300ms", "Pause after each change's event arrived."),
			of("timeout", "DURATION", "10s", "Longest wait for one change's event.")));

	public static final List<OptionDoc> TOKEN = OptionDoc.join(SECRET, List.of(
			of("sub", "USER", null, "The token's subject; required."),
			of("rooms", "ROOMS", "*", "The rooms claim, a comma list."),
			of("ttl", "DURATION", "24h", "How long the token is valid.")));

	private ScenarioOptions() {
	}

}
