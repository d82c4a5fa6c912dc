package io.eventgateway.loadtest.chaos;

import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.eventgateway.loadtest.measure.PrometheusHeap;

/** The servers' memory during a run: heap from Prometheus each second, and for a soak heap after a GC and RSS. */
final class ResourceSamples {

	/** One soak sample of the first instance: seconds since the first, heap after a full GC, RSS. */
	record Sample(double seconds, long heapAfterGcBytes, long rssBytes) {
	}

	private volatile long peakHeapBytes;

	private volatile long peakLiveBytes;

	private final List<Sample> soak = new ArrayList<>();

	private long soakStartNanos;

	void sampleHeap(Testbed testbed, HttpClient http) {
		long total = 0;
		for (GatewayInstance instance : testbed.live()) {
			try {
				total = Math.max(total, PrometheusHeap.heapBytes(instance.metrics()));
			}
			catch (IOException | RuntimeException ex) {
				// An instance being killed or frozen: its next sample counts.
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
		this.peakHeapBytes = Math.max(this.peakHeapBytes, total);
	}

	/**
	 * The heap every live instance holds right after {@code jcmd GC.run}: what it really retains at that moment, unlike
	 * the heap in use, which includes garbage and climbs to -Xmx between collections by design.
	 */
	void sampleLiveHeap(Testbed testbed) {
		for (GatewayInstance instance : testbed.live()) {
			try {
				this.peakLiveBytes = Math.max(this.peakLiveBytes, heapAfterGc(instance));
			}
			catch (IOException | RuntimeException ex) {
				System.err.println("  live heap of " + instance.name() + " unread: " + ex.getMessage());
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
	}

	private static long heapAfterGc(GatewayInstance instance) throws IOException, InterruptedException {
		ChildProcesses.run(List.of(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(), Long.toString(instance.pid()),
				"GC.run"), Duration.ofSeconds(20));
		return PrometheusHeap.heapBytes(instance.metrics());
	}

	/** Heap after {@code jcmd GC.run} and RSS of the first live instance. */
	void sampleAfterGc(Testbed testbed) {
		GatewayInstance instance = testbed.live().get(0);
		try {
			long heap = heapAfterGc(instance);
			long rss = rssBytes(instance.pid());
			synchronized (this.soak) {
				if (this.soak.isEmpty()) {
					this.soakStartNanos = System.nanoTime();
				}
				this.soak.add(new Sample((System.nanoTime() - this.soakStartNanos) / 1e9, heap, rss));
			}
		}
		catch (IOException | RuntimeException ex) {
			System.err.println("  soak sample skipped: " + ex.getMessage());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	/** The most 1013 closes any instance counted (reason slow_consumer), summed over instances. */
	long slowConsumerCloses(Testbed testbed) {
		long closes = 0;
		for (GatewayInstance instance : testbed.live()) {
			try {
				for (String line : instance.metrics().split("\n")) {
					if (line.startsWith("gateway_connections_closed_total{") && line.contains("reason=\"slow_consumer\"")) {
						closes += (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
					}
				}
			}
			catch (IOException | RuntimeException ex) {
				System.err.println("  metrics of " + instance.name() + " unreadable: " + ex.getMessage());
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
		return closes;
	}

	long peakHeapBytes() {
		return this.peakHeapBytes;
	}

	/** The most heap an instance held after a forced collection; 0 when never sampled. */
	long peakLiveBytes() {
		return this.peakLiveBytes;
	}

	List<Sample> soak() {
		synchronized (this.soak) {
			return List.copyOf(this.soak);
		}
	}

	/** Least-squares slope of the samples, in bytes per hour; 0 with fewer than two. */
	static double slopePerHour(List<Sample> samples, boolean heap) {
		int n = samples.size();
		if (n < 2) {
			return 0;
		}
		double meanX = samples.stream().mapToDouble(Sample::seconds).average().orElse(0);
		double meanY = samples.stream().mapToDouble(s -> heap ? s.heapAfterGcBytes() : s.rssBytes()).average().orElse(0);
		double numerator = 0;
		double denominator = 0;
		for (Sample sample : samples) {
			double dx = sample.seconds() - meanX;
			numerator += dx * ((heap ? sample.heapAfterGcBytes() : sample.rssBytes()) - meanY);
			denominator += dx * dx;
		}
		return denominator == 0 ? 0 : numerator / denominator * 3600;
	}

	private static long rssBytes(long pid) throws IOException {
		for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
			if (line.startsWith("VmRSS:")) {
				return Long.parseLong(line.replaceAll("\\D+", "")) * 1024;
			}
		}
		return -1;
	}

}
