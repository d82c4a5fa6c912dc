package io.eventgateway.loadtest.chaos;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Publish-to-delivery latency, counted only between clients that never stalled: a client that
 * stopped reading sees its own backlog late, and its publishes wait unsent behind a connection it
 * no longer reads, so either would measure the stall rather than how the others were served. It
 * keeps the whole run's histogram and, apart, that of the seconds while a fault lasted.
 */
final class DeliveryLatency {

	private final Recorder recorder = new Recorder(3);

	private final Set<String> stalled = ConcurrentHashMap.newKeySet();

	private final Histogram whole = new Histogram(3);

	private final Histogram whileFaulty = new Histogram(3);

	private volatile boolean faultLasting;

	void stalled(String client) {
		this.stalled.add(client);
	}

	void record(String publisher, String subscriber, long micros) {
		if (!this.stalled.contains(subscriber) && (publisher == null || !this.stalled.contains(publisher))) {
			this.recorder.recordValue(Math.max(0, micros));
		}
	}

	void faultLasting(boolean lasting) {
		this.faultLasting = lasting;
	}

	/** Takes what was recorded since the last call into the run's histograms, and returns it. */
	synchronized Histogram sample() {
		Histogram interval = this.recorder.getIntervalHistogram();
		this.whole.add(interval);
		if (this.faultLasting) {
			this.whileFaulty.add(interval);
		}
		return interval;
	}

	synchronized Histogram whole() {
		return this.whole.copy();
	}

	synchronized Histogram whileFaulty() {
		return this.whileFaulty.copy();
	}

}
