package io.eventgateway.loadtest.chaos;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Publish-to-delivery latency, counted only between clients that never stalled: a client that
 * stopped reading sees its own backlog late, and its publishes wait unsent behind a connection it
 * no longer reads, so either would measure the stall rather than how the others were served.
 */
final class DeliveryLatency {

	private final Recorder recorder = new Recorder(3);

	private final Set<String> stalled = ConcurrentHashMap.newKeySet();

	void stalled(String client) {
		this.stalled.add(client);
	}

	void record(String publisher, String subscriber, long micros) {
		if (!this.stalled.contains(subscriber) && (publisher == null || !this.stalled.contains(publisher))) {
			this.recorder.recordValue(Math.max(0, micros));
		}
	}

	/** What was recorded since the last call. */
	Histogram interval() {
		return this.recorder.getIntervalHistogram();
	}

}
