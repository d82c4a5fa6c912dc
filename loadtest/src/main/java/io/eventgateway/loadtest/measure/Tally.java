package io.eventgateway.loadtest.measure;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/** Counts by a small set of labels (status codes, failure causes), from any thread. */
public final class Tally {

	private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();

	public void add(String label) {
		this.counts.computeIfAbsent(label, any -> new LongAdder()).increment();
	}

	public long count(String label) {
		LongAdder count = this.counts.get(label);
		return count == null ? 0 : count.sum();
	}

	public long total() {
		return this.counts.values().stream().mapToLong(LongAdder::sum).sum();
	}

	/** The counts, ordered by label. */
	public Map<String, Long> snapshot() {
		Map<String, Long> snapshot = new TreeMap<>();
		this.counts.forEach((label, count) -> snapshot.put(label, count.sum()));
		return snapshot;
	}

}
