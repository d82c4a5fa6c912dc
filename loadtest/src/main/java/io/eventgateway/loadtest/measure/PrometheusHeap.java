package io.eventgateway.loadtest.measure;

import java.net.URI;
import java.time.Duration;
import java.util.List;

import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;

/** The gateways' used heap, read from their Prometheus endpoint ({@code jvm_memory_used_bytes{area="heap"}}). */
public final class PrometheusHeap {

	private static final String METRIC = "jvm_memory_used_bytes{";

	private final HttpClient http;

	private final List<URI> roots;

	/** @param roots each gateway's HTTP root, {@code http://127.0.0.1:8080} */
	public PrometheusHeap(HttpClient http, List<URI> roots) {
		this.http = http;
		this.roots = List.copyOf(roots);
	}

	/** Heap used by all the gateways together, in bytes; -1 when one of them does not answer. */
	public long usedBytes() {
		long total = 0;
		for (URI root : this.roots) {
			String body;
			try {
				body = this.http.get().uri(root.resolve("/actuator/prometheus")).responseSingle((response, content) ->
						response.status().code() == 200 ? content.asString() : Mono.<String>empty())
					.block(Duration.ofSeconds(10));
			}
			catch (RuntimeException ex) {
				return -1;
			}
			long used = body == null ? -1 : heapBytes(body);
			if (used < 0) {
				return -1;
			}
			total += used;
		}
		return total;
	}

	/** The sum over heap pools in one Prometheus text exposition; -1 when the metric is absent. */
	public static long heapBytes(String exposition) {
		double total = 0;
		boolean found = false;
		for (String line : exposition.split("\n")) {
			if (line.startsWith(METRIC) && line.contains("area=\"heap\"")) {
				String value = line.substring(line.lastIndexOf('}') + 1).trim().split(" ")[0];
				total += Double.parseDouble(value);
				found = true;
			}
		}
		return found ? (long) total : -1;
	}

}
