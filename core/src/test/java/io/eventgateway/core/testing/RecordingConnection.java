package io.eventgateway.core.testing;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.eventgateway.core.auth.ClientIdentity;
import io.eventgateway.core.auth.RoomPermissions;
import io.eventgateway.core.connection.CloseReason;
import io.eventgateway.core.connection.Connection;
import io.eventgateway.core.connection.OutboundFrame;
import io.eventgateway.core.connection.OutboundLimits;
import io.eventgateway.core.connection.OutboundQueue;
import io.eventgateway.core.ratelimit.TokenBucket;

/**
 * A connection whose writer runs on the calling thread and records every line it writes, for tests
 * that read what a client would have received.
 */
public final class RecordingConnection implements OutboundQueue.FrameSink {

	private static final Pattern SEQ = Pattern.compile("\"seq\":(\\d+)");

	private static int next;

	private final List<String> lines = new CopyOnWriteArrayList<>();

	private final List<CloseReason> closes = new CopyOnWriteArrayList<>();

	private final Connection connection;

	public RecordingConnection(String user) {
		this(user, 1000);
	}

	private final OutboundQueue queue;

	/** When set, the client reads nothing until {@link #readOneFrame()} or {@link #resumeReading()}. */
	private volatile boolean paused;

	private volatile int framesToRead;

	public RecordingConnection(String user, int maxMessages) {
		this(user, maxMessages, 1 << 24);
	}

	public RecordingConnection(String user, int maxMessages, long maxBytes) {
		OutboundQueue queue = new OutboundQueue(new OutboundLimits(maxMessages, maxBytes, 1 << 16, 0.5), Runnable::run,
				this.closes::add);
		this.queue = queue;
		this.connection = new Connection(++next, new ClientIdentity(user, RoomPermissions.of(List.of("*"), List.of()),
				Instant.now().plusSeconds(3600), Duration.ZERO), queue, new TokenBucket(1000, 1000, System::nanoTime),
				new TokenBucket(1, 10, System::nanoTime), System.nanoTime());
		queue.attach(this);
	}

	public Connection connection() {
		return this.connection;
	}

	/** Every line received, in order. */
	public List<String> lines() {
		return List.copyOf(this.lines);
	}

	/** The seq of every durable event received, in order. */
	public List<Long> eventSeqs() {
		return this.lines.stream().filter(line -> line.startsWith("{\"type\":\"event\"")).map(RecordingConnection::seq)
			.filter(seq -> seq > 0).toList();
	}

	public List<CloseReason> closes() {
		return List.copyOf(this.closes);
	}

	static long seq(String line) {
		Matcher matcher = SEQ.matcher(line);
		return matcher.find() ? Long.parseLong(matcher.group(1)) : 0;
	}

	public void pauseReading() {
		this.paused = true;
	}

	public void resumeReading() {
		this.paused = false;
		this.queue.resume();
	}

	/** Reads one frame of what is queued, as a slow client would. */
	public void readOneFrame() {
		this.framesToRead = 1;
		this.queue.resume();
	}

	@Override
	public boolean ready() {
		return !this.paused || this.framesToRead > 0;
	}

	@Override
	public void next(OutboundFrame frame) {
		if (this.paused) {
			this.framesToRead--;
		}
		if (frame instanceof OutboundFrame.Text text) {
			text.lines().forEach(line -> this.lines.add(new String(line, StandardCharsets.UTF_8)));
		}
	}

	@Override
	public void flush() {
	}

	@Override
	public void complete() {
	}

}
