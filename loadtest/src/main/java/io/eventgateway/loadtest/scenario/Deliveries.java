package io.eventgateway.loadtest.scenario;

import java.util.concurrent.atomic.AtomicLong;

import io.eventgateway.loadtest.client.BenchConnection;
import io.eventgateway.loadtest.client.Lines;
import io.eventgateway.loadtest.measure.Monitor;
import io.eventgateway.loadtest.measure.SequenceAudit;
import io.eventgateway.loadtest.report.MetricKeys;
import org.HdrHistogram.Recorder;

/**
 * What a subscriber does with what it receives: counts each event as a delivery, checks its seq
 * against the previous one, and measures its latency from the publish's intended time.
 */
final class Deliveries implements BenchConnection.Listener {

	private final Monitor monitor;

	private final SequenceAudit audit;

	private final ServerErrors errors;

	private final Recorder latency;

	private final AtomicLong joined = new AtomicLong();

	Deliveries(Monitor monitor, SequenceAudit audit, ServerErrors errors) {
		this.monitor = monitor;
		this.audit = audit;
		this.errors = errors;
		this.latency = monitor.latency(MetricKeys.DELIVERY);
	}

	/** How many joins were answered. */
	long joined() {
		return this.joined.get();
	}

	@Override
	public void onLine(BenchConnection connection, String line, long now) {
		if (Lines.isType(line, "event")) {
			connection.lastSeq(this.audit.observe(connection.lastSeq(), Lines.number(line, "seq")));
			this.monitor.operation();
			long intended = Lines.number(line, "t");
			if (intended > 0) {
				this.latency.recordValue(Math.max(0, (now - intended) / 1000));
			}
		}
		else if (Lines.isType(line, "joined")) {
			connection.lastSeq(Lines.number(line, "seq"));
			this.joined.incrementAndGet();
		}
		else if (Lines.isType(line, "error")) {
			this.errors.record(line);
		}
	}

}
