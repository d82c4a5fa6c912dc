package io.eventgateway.loadtest.scenario;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

import io.eventgateway.loadtest.client.BenchConnection;
import io.eventgateway.loadtest.client.Lines;
import io.eventgateway.loadtest.measure.Monitor;
import io.eventgateway.loadtest.measure.Pacer;
import io.eventgateway.loadtest.measure.Tally;
import io.eventgateway.loadtest.report.MetricKeys;
import org.HdrHistogram.Recorder;

/**
 * Publishers sending durable events at a fixed total rate over rooms {@code bench-0..R-1} in turn
 * (open model, see {@link Pacer}). Each event carries its intended send time, from which
 * subscribers measure delivery latency; acks tell each room's newest seq.
 */
final class Publishers implements BenchConnection.Listener {

	/** Publishers stay under the gateway's default per-connection publish rate. */
	static final int MAX_RATE_PER_PUBLISHER = 400;

	private final int rooms;

	private final int rate;

	private final String padding;

	/** Prefix of this run's event ids, so a run on a store of an earlier one is never taken for a repeat; or {@code null}. */
	private final String idPrefix;

	private final Recorder ackLatency;

	private final ServerErrors errors;

	private final AtomicLong acks = new AtomicLong();

	private final AtomicLongArray acksPerRoom;

	private final AtomicLongArray lastSeqPerRoom;

	private List<BenchConnection> connections = List.of();

	private StringBuilder[] frames;

	private volatile Pacer pacer;

	/** @param monitor where ack latency ({@link MetricKeys#ACK}) goes */
	Publishers(int rooms, int rate, int payload, boolean ids, Monitor monitor, ServerErrors errors) {
		this.rooms = rooms;
		this.rate = rate;
		this.padding = "x".repeat(Math.max(0, payload - 30));
		this.idPrefix = ids ? Long.toString(System.currentTimeMillis(), 36) + "-" : null;
		this.ackLatency = monitor.latency(MetricKeys.ACK);
		this.errors = errors;
		this.acksPerRoom = new AtomicLongArray(rooms);
		this.lastSeqPerRoom = new AtomicLongArray(rooms);
		for (int room = 0; room < rooms; room++) {
			this.lastSeqPerRoom.set(room, -1);
		}
	}

	/** Enough publishers for the rate, at least {@code requested}. */
	static int countFor(int requested, int rate) {
		return Math.max(requested, (rate + MAX_RATE_PER_PUBLISHER - 1) / MAX_RATE_PER_PUBLISHER);
	}

	static String room(long n) {
		return "bench-" + n;
	}

	/** Opens the publishers' connections. */
	void open(Connector connector, int count, Monitor monitor, Tally failures) {
		this.connections = connector.openAll(count, i -> connector.publisher(i, this), monitor, failures);
		this.frames = new StringBuilder[this.connections.size()];
		for (int i = 0; i < this.frames.length; i++) {
			this.frames[i] = new StringBuilder();
		}
	}

	/** Publishes from now until {@code endNanos}. */
	void start(long endNanos) {
		if (this.connections.isEmpty() || this.rate <= 0) {
			return;
		}
		this.pacer = Pacer.start("publishers", this.rate, System.nanoTime(), endNanos, new Pacer.Work() {

			@Override
			public void due(long n, long intendedNanos) {
				StringBuilder frame = frames[(int) (n % frames.length)];
				frame.append("{\"type\":\"publish\",\"room\":\"").append(room(n % rooms))
					.append("\",\"event\":\"bench\",\"data\":{\"t\":").append(intendedNanos).append(",\"p\":\"").append(padding)
					.append("\"},\"ref\":\"").append(n);
				if (idPrefix != null) {
					frame.append("\",\"id\":\"").append(idPrefix).append(n);
				}
				frame.append("\"}\n");
			}

			@Override
			public void endOfTick() {
				for (int i = 0; i < frames.length; i++) {
					if (frames[i].length() > 0) {
						connections.get(i).send(frames[i].toString());
						frames[i].setLength(0);
					}
				}
			}

		});
	}

	/** Stops publishing; acks of what was sent still arrive. */
	void stop() {
		if (this.pacer != null) {
			this.pacer.close();
		}
	}

	void close() {
		this.connections.forEach(BenchConnection::close);
	}

	int count() {
		return this.connections.size();
	}

	long sent() {
		return this.pacer == null ? 0 : this.pacer.issued();
	}

	long acks() {
		return this.acks.get();
	}

	long acksInRoom(int room) {
		return this.acksPerRoom.get(room);
	}

	/** The room's newest seq an ack told of, -1 when none was acknowledged. */
	long lastSeq(int room) {
		return this.lastSeqPerRoom.get(room);
	}

	@Override
	public void onLine(BenchConnection connection, String line, long now) {
		if (Lines.isType(line, "ack")) {
			long n = Long.parseLong(Lines.text(line, "ref"));
			int room = (int) (n % this.rooms);
			long seq = Lines.number(line, "seq");
			this.acksPerRoom.incrementAndGet(room);
			this.lastSeqPerRoom.accumulateAndGet(room, seq, Math::max);
			this.acks.incrementAndGet();
			this.ackLatency.recordValue(Math.max(0, (now - this.pacer.intendedNanos(n)) / 1000));
		}
		else if (Lines.isType(line, "error")) {
			this.errors.record(line);
		}
	}

}
