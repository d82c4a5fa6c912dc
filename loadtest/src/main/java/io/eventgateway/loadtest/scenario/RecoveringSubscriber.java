package io.eventgateway.loadtest.scenario;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

import io.eventgateway.loadtest.client.BenchConnection;
import io.eventgateway.loadtest.client.Failures;
import io.eventgateway.loadtest.client.Lines;
import io.eventgateway.loadtest.measure.Monitor;
import io.eventgateway.loadtest.measure.SequenceAudit;
import io.eventgateway.loadtest.measure.Tally;
import io.eventgateway.loadtest.report.MetricKeys;
import org.HdrHistogram.Recorder;
import reactor.core.scheduler.Schedulers;

/**
 * A subscriber of one room that loses its connection at random moments and comes back with
 * {@code join} {@code since} = the last seq it saw (and the room's epoch), as a client on a bad
 * network does. Its own audit tells whether its sequence stayed gap-free and duplicate-free.
 *
 * <p>Lines count only from the current connection; a drop happens on that connection's event loop,
 * so the seq the next join asks from is the last one this subscriber really took in.
 */
final class RecoveringSubscriber implements BenchConnection.Listener {

	/** What all subscribers of a run share: where to connect, where to count, and whether to go on. */
	static final class Run {

		final Connector connector;

		final Monitor monitor;

		final Recorder latency;

		final ServerErrors errors;

		final Tally failures;

		final Duration dropInterval;

		final Duration reconnectDelay;

		final LongAdder reconnects = new LongAdder();

		final LongAdder serverCloses = new LongAdder();

		final LongAdder recoveredFalse = new LongAdder();

		final LongAdder replayed = new LongAdder();

		/** Whether subscribers still drop their connections. */
		volatile boolean dropping = true;

		/** Set at the very end: nothing reconnects any more. */
		volatile boolean finished;

		Run(RoomTraffic traffic, Duration dropInterval, Duration reconnectDelay) {
			this.connector = traffic.connector;
			this.monitor = traffic.monitor;
			this.latency = traffic.monitor.latency(MetricKeys.DELIVERY);
			this.errors = traffic.errors;
			this.failures = traffic.connectFailures;
			this.dropInterval = dropInterval;
			this.reconnectDelay = reconnectDelay;
		}

	}

	private final int index;

	private final int roomIndex;

	private final String room;

	private final Run run;

	private final SequenceAudit audit = new SequenceAudit();

	private volatile BenchConnection current;

	/** -1 until the first {@code joined}. */
	private volatile long lastSeq = -1;

	private volatile boolean live;

	private String epoch;

	/** Connections made so far: with several gateways, each reconnect goes to the next one, as behind a balancer. */
	private int turns;

	RecoveringSubscriber(int index, int roomIndex, Run run) {
		this.index = index;
		this.roomIndex = roomIndex;
		this.room = Publishers.room(roomIndex);
		this.run = run;
	}

	void connect() {
		if (this.run.finished) {
			return;
		}
		this.run.connector.subscriber(this.index, this.turns++, this).subscribe(connection -> {
			this.current = connection;
			connection.send(joinRequest());
		}, error -> {
			this.run.failures.add(Failures.describe(error));
			this.run.monitor.error();
			reconnectLater();
		});
	}

	private String joinRequest() {
		if (this.lastSeq < 0) {
			return Subscriptions.join(this.room);
		}
		return "{\"type\":\"join\",\"room\":\"" + this.room + "\",\"since\":" + this.lastSeq
				+ (this.epoch == null ? "" : ",\"epoch\":\"" + this.epoch + "\"") + "}";
	}

	@Override
	public void onLine(BenchConnection connection, String line, long now) {
		if (connection != this.current) {
			return;
		}
		if (Lines.isType(line, "event")) {
			this.lastSeq = this.audit.observe(this.lastSeq, Lines.number(line, "seq"));
			this.run.monitor.operation();
			if (!this.live) {
				this.run.replayed.increment();
			}
			else {
				long intended = Lines.number(line, "t");
				if (intended > 0) {
					this.run.latency.recordValue(Math.max(0, (now - intended) / 1000));
				}
			}
		}
		else if (Lines.isType(line, "joined")) {
			onJoined(connection, line);
		}
		else if (Lines.isType(line, "error")) {
			this.run.errors.record(line);
		}
	}

	private void onJoined(BenchConnection connection, String line) {
		long head = Lines.number(line, "seq");
		if (this.lastSeq >= 0 && Lines.has(line, "recovered", "false")) {
			// The server could not replay: everything between what we had and its head is lost to us.
			this.run.recoveredFalse.increment();
			this.audit.missed(Math.max(0, head - this.lastSeq));
		}
		else if (this.lastSeq >= 0 && head > this.lastSeq) {
			this.audit.missed(head - this.lastSeq);
		}
		this.lastSeq = Math.max(this.lastSeq, head);
		String roomEpoch = Lines.text(line, "epoch");
		if (roomEpoch != null) {
			this.epoch = roomEpoch;
		}
		this.live = true;
		scheduleDrop(connection);
	}

	@Override
	public void onClosed(BenchConnection connection) {
		if (connection != this.current || this.run.finished) {
			return;
		}
		this.run.serverCloses.increment();
		this.current = null;
		this.live = false;
		reconnectLater();
	}

	private void scheduleDrop(BenchConnection connection) {
		if (!this.run.dropping) {
			return;
		}
		long delay = ThreadLocalRandom.current().nextLong(1, 2 * this.run.dropInterval.toMillis() + 2);
		Schedulers.parallel().schedule(() -> connection.execute(() -> drop(connection)), delay, TimeUnit.MILLISECONDS);
	}

	private void drop(BenchConnection connection) {
		if (connection != this.current || !this.run.dropping) {
			return;
		}
		this.current = null;
		this.live = false;
		this.run.reconnects.increment();
		connection.abort();
		reconnectLater();
	}

	private void reconnectLater() {
		if (this.run.finished) {
			return;
		}
		long delay = ThreadLocalRandom.current().nextLong(0, this.run.reconnectDelay.toMillis() + 1);
		Schedulers.parallel().schedule(this::connect, delay, TimeUnit.MILLISECONDS);
	}

	int roomIndex() {
		return this.roomIndex;
	}

	boolean isLive() {
		return this.live;
	}

	long lastSeq() {
		return this.lastSeq;
	}

	SequenceAudit audit() {
		return this.audit;
	}

	void close() {
		BenchConnection connection = this.current;
		if (connection != null) {
			connection.close();
		}
	}

}
