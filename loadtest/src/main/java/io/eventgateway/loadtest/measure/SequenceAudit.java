package io.eventgateway.loadtest.measure;

import java.util.concurrent.atomic.LongAdder;

/** Gaps and duplicates in rooms' durable {@code seq}, as the subscribers see them. */
public final class SequenceAudit {

	private final LongAdder gaps = new LongAdder();

	private final LongAdder duplicates = new LongAdder();

	/**
	 * Checks {@code seq} against the newest one the subscriber had ({@code -1}: none yet, nothing to
	 * check) and answers the newest after it.
	 */
	public long observe(long lastSeq, long seq) {
		if (lastSeq >= 0 && seq != lastSeq + 1) {
			if (seq <= lastSeq) {
				this.duplicates.increment();
			}
			else {
				this.gaps.add(seq - lastSeq - 1);
			}
		}
		return Math.max(seq, lastSeq);
	}

	/** Events a subscriber will never see, known otherwise than by a jump in seq. */
	public void missed(long count) {
		this.gaps.add(count);
	}

	public long gaps() {
		return this.gaps.sum();
	}

	public long duplicates() {
		return this.duplicates.sum();
	}

}
