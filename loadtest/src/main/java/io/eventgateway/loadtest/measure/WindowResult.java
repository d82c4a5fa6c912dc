package io.eventgateway.loadtest.measure;

import java.util.Map;

import org.HdrHistogram.Histogram;

/**
 * What happened in one stretch of a run.
 *
 * @param latencies every latency stream's histogram over the window, in microseconds
 * @param serverCpuSeconds CPU the server used in the window, -1 when not measured
 * @param rssPeakKib the server's highest resident memory seen in the window, -1 when not measured
 */
public record WindowResult(String name, double seconds, long operations, long errors, Map<String, Histogram> latencies,
		double serverCpuSeconds, double generatorCpuSeconds, long rssPeakKib) {

	public double perSecond() {
		return this.seconds > 0 ? this.operations / this.seconds : 0;
	}

	public Histogram latency(String stream) {
		return this.latencies.get(stream);
	}

	/** Server CPU per operation in microseconds, -1 when not measured. */
	public double serverCpuMicrosPerOperation() {
		return this.serverCpuSeconds < 0 ? -1 : this.serverCpuSeconds * 1e6 / Math.max(1, this.operations);
	}

	public double generatorCpuMicrosPerOperation() {
		return this.generatorCpuSeconds * 1e6 / Math.max(1, this.operations);
	}

}
