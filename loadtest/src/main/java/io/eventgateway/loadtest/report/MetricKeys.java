package io.eventgateway.loadtest.report;

import java.util.Set;

/** The names reports give their figures: what {@code --threshold} and the JSON report refer to. */
public final class MetricKeys {

	/** The run's main throughput: deliveries, requests or connections per second. */
	public static final String RATE = "rate";

	/** Another name for {@link #RATE}, as people say it of fan-out. */
	public static final String DELIVERIES_PER_S = "deliveries_per_s";

	public static final String ERRORS = "errors";

	public static final String GAPS = "gaps";

	public static final String DUPLICATES = "duplicates";

	public static final String RECONNECTS = "reconnects";

	public static final String RECOVERED_FALSE = "recovered_false";

	public static final String HIT_RATIO = "hit_ratio";

	public static final String CONNECTED = "connected";

	public static final String SERVER_CPU_US = "server_cpu_us_per_op";

	public static final String GENERATOR_CPU_US = "generator_cpu_us_per_op";

	public static final String RSS_PEAK_MIB = "server_rss_peak_mib";

	public static final String RSS_PER_CONNECTION_KIB = "rss_per_connection_kib";

	public static final String HEAP_PER_CONNECTION_KIB = "heap_per_connection_kib";

	/** Server CPU per connection and second while connections are held idle, in µs. */
	public static final String IDLE_CPU = "idle_cpu_us_per_connection_second";

	/** Latency stream names, usable as {@code <stream>_p99} in a threshold. */
	public static final String DELIVERY = "delivery";

	public static final String ACK = "ack";

	public static final String CONNECT = "connect";

	public static final String REQUEST = "request";

	static final Set<String> COUNTS = Set.of(RATE, DELIVERIES_PER_S, ERRORS, GAPS, DUPLICATES, RECONNECTS, RECOVERED_FALSE,
			HIT_RATIO, CONNECTED, SERVER_CPU_US, GENERATOR_CPU_US, RSS_PEAK_MIB, RSS_PER_CONNECTION_KIB, HEAP_PER_CONNECTION_KIB,
			IDLE_CPU);

	static final Set<String> STREAMS = Set.of(DELIVERY, ACK, CONNECT, REQUEST);

	private MetricKeys() {
	}

}
