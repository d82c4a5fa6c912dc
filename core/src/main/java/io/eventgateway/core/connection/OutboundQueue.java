package io.eventgateway.core.connection;

import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

import reactor.core.publisher.Flux;
import reactor.core.publisher.FluxSink;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * One connection's outbound messages, bounded in count and bytes. Producers (fan-out, replies) never
 * wait: a volatile message that does not fit is dropped, a durable one closes the connection as a
 * slow consumer. The writer runs on one serial executor (the connection's event loop) and gathers
 * everything queued since its last run into one frame, so a busy connection costs one write for
 * many events.
 */
public final class OutboundQueue {

	private final OutboundLimits limits;

	private final long volatileMaxMessages;

	private final long volatileMaxBytes;

	private final Executor writer;

	private final Consumer<CloseReason> onClose;

	private final Queue<byte[]> queue = new ConcurrentLinkedQueue<>();

	private final AtomicInteger messages = new AtomicInteger();

	private final AtomicLong bytes = new AtomicLong();

	private final AtomicLong unsent = new AtomicLong();

	private final AtomicBoolean writeScheduled = new AtomicBoolean();

	private final AtomicReference<CloseReason> closeReason = new AtomicReference<>();

	private volatile boolean pingRequested;

	private volatile long framesWritten;

	private volatile FrameSink sink;

	private volatile Sinks.Empty<Void> spaceWaiter;

	/**
	 * @param writer serial executor that writes frames and runs {@code onClose}
	 * @param onClose told once, on the writer, why the queue closed, whoever closed it
	 */
	public OutboundQueue(OutboundLimits limits, Executor writer, Consumer<CloseReason> onClose) {
		this.limits = limits;
		this.onClose = onClose;
		this.volatileMaxMessages = Math.max(1, (long) (limits.maxMessages() * limits.volatileShare()));
		this.volatileMaxBytes = Math.max(1, (long) (limits.maxBytes() * limits.volatileShare()));
		this.writer = writer;
	}

	/** Queues one message (a JSON line without its newline). Never blocks. */
	public Offer offer(byte[] line, boolean droppable) {
		if (this.closeReason.get() != null) {
			return Offer.CLOSED;
		}
		long maxMessages = droppable ? this.volatileMaxMessages : this.limits.maxMessages();
		long maxBytes = droppable ? this.volatileMaxBytes : this.limits.maxBytes();
		if (this.messages.get() >= maxMessages || this.bytes.get() + line.length > maxBytes) {
			if (droppable) {
				return Offer.DROPPED;
			}
			this.unsent.incrementAndGet();
			close(CloseReason.SLOW_CONSUMER);
			return Offer.OVERFLOW;
		}
		this.messages.incrementAndGet();
		this.bytes.addAndGet(line.length);
		this.queue.offer(line);
		scheduleWrite();
		return Offer.QUEUED;
	}

	public void ping() {
		this.pingRequested = true;
		scheduleWrite();
	}

	/**
	 * Starts closing; the first reason wins. Queued messages are discarded or, for reasons that allow
	 * it, written first as far as the writer's demand goes; nothing new is accepted.
	 */
	public boolean close(CloseReason reason) {
		if (!this.closeReason.compareAndSet(null, reason)) {
			return false;
		}
		if (reason.discardsQueued()) {
			// Free a slow consumer's backlog now, not when its writer next runs.
			discardQueued();
		}
		scheduleWrite();
		// Off the caller's thread, which may be a broadcast.
		this.writer.execute(() -> this.onClose.accept(reason));
		wakeSpaceWaiter();
		return true;
	}

	/** The reason the queue was closed for, or {@code null} while it is open. */
	public CloseReason closeReason() {
		return this.closeReason.get();
	}

	/** Text frames handed to the writer so far. */
	public long framesWritten() {
		return this.framesWritten;
	}

	/**
	 * Messages thrown away unwritten: the durable one that did not fit, and what was still queued when
	 * the queue closed. Once the close callback runs, what the close threw away is counted.
	 */
	public long unsent() {
		return this.unsent.get();
	}

	public int size() {
		return this.messages.get();
	}

	public long sizeInBytes() {
		return this.bytes.get();
	}

	/**
	 * How many of these lines, from the first, fit in half of the queue's bounds: what a replay may
	 * add once {@link #whenHalfEmpty()} completes without pushing the queue past its bounds. At least
	 * one, so that a replay always moves on.
	 */
	public int halfRoomFor(List<byte[]> lines) {
		long maxMessages = Math.max(1, this.limits.maxMessages() / 2);
		long maxBytes = this.limits.maxBytes() / 2;
		long bytes = 0;
		int count = 0;
		for (byte[] line : lines) {
			bytes += line.length;
			if (count > 0 && (count >= maxMessages || bytes > maxBytes)) {
				break;
			}
			count++;
		}
		return count;
	}

	/** Completes once at most half of the queue is used (or it closed): room for a replay page. */
	public Mono<Void> whenHalfEmpty() {
		return Mono.defer(() -> {
			if (isAtMostHalfFull() || this.closeReason.get() != null) {
				return Mono.empty();
			}
			Sinks.Empty<Void> waiter = Sinks.empty();
			this.spaceWaiter = waiter;
			if (isAtMostHalfFull() || this.closeReason.get() != null) {
				wakeSpaceWaiter();
			}
			return waiter.asMono();
		});
	}

	/**
	 * The frames to write, for one subscriber. Completes when the queue is closed; the close reason
	 * then says which close code to send.
	 */
	public Flux<OutboundFrame> frames() {
		return Flux.create(sink -> {
			attach(new FluxFrameSink(sink));
			sink.onRequest(n -> scheduleWrite());
			sink.onDispose(() -> close(CloseReason.CLIENT_GONE));
		});
	}

	/** Writes the frames straight into {@code sink}, on the writer. */
	public void attach(FrameSink sink) {
		this.sink = sink;
		// Only when there is something to write: an empty run would count as the connection's last
		// write and make its first reply wait for the next write tick.
		if (!this.queue.isEmpty() || this.pingRequested || this.closeReason.get() != null) {
			scheduleWrite();
		}
	}

	/** Tells the writer to try again: the sink is ready after it was not. */
	public void resume() {
		scheduleWrite();
	}

	private void scheduleWrite() {
		if (this.writeScheduled.compareAndSet(false, true)) {
			this.writer.execute(this::write);
		}
	}

	private void write() {
		this.writeScheduled.set(false);
		FrameSink out = this.sink;
		if (out == null) {
			return;
		}
		CloseReason closing = this.closeReason.get();
		if (closing != null && closing.discardsQueued()) {
			discardQueued();
			out.complete();
			return;
		}
		while (out.ready()) {
			if (this.pingRequested) {
				this.pingRequested = false;
				out.next(OutboundFrame.PING);
				continue;
			}
			OutboundFrame.Text frame = pollFrame();
			if (frame == null) {
				break;
			}
			CloseReason closedMeanwhile = this.closeReason.get();
			if (closing == null && closedMeanwhile != null && closedMeanwhile.discardsQueued()) {
				// A close on another thread is discarding the queue: lines it took may precede this
				// frame's, so writing it could leave a gap in a room's seqs. Nothing more goes out; the
				// run the close scheduled completes the sink.
				this.unsent.addAndGet(frame.lines().size());
				discardQueued();
				return;
			}
			this.framesWritten++;
			out.next(frame);
		}
		out.flush();
		if (closing != null) {
			// What did not fit the writer's demand is dropped: a close must not wait on the client.
			discardQueued();
			out.complete();
			return;
		}
		if (isAtMostHalfFull()) {
			wakeSpaceWaiter();
		}
	}

	private OutboundFrame.Text pollFrame() {
		byte[] first = this.queue.poll();
		if (first == null) {
			return null;
		}
		List<byte[]> lines = new ArrayList<>();
		lines.add(first);
		int frameBytes = first.length;
		byte[] next;
		while ((next = this.queue.peek()) != null && frameBytes + 1 + next.length <= this.limits.maxFrameBytes()) {
			this.queue.poll();
			lines.add(next);
			frameBytes += 1 + next.length;
		}
		int payload = frameBytes - (lines.size() - 1);
		this.messages.addAndGet(-lines.size());
		this.bytes.addAndGet(-payload);
		return new OutboundFrame.Text(lines, payload);
	}

	private void discardQueued() {
		byte[] line;
		while ((line = this.queue.poll()) != null) {
			this.unsent.incrementAndGet();
			this.messages.decrementAndGet();
			this.bytes.addAndGet(-line.length);
		}
	}

	private boolean isAtMostHalfFull() {
		return this.messages.get() <= this.limits.maxMessages() / 2 && this.bytes.get() <= this.limits.maxBytes() / 2;
	}

	private void wakeSpaceWaiter() {
		Sinks.Empty<Void> waiter = this.spaceWaiter;
		if (waiter != null) {
			this.spaceWaiter = null;
			// Ignore result: a waiter already woken, or no longer listened to, needs nothing more.
			waiter.tryEmitEmpty();
		}
	}

	/** Where the writer puts frames: a transport, or a Flux's subscriber. Called on the writer only. */
	public interface FrameSink {

		/** Whether another frame may be written now; a sink that says no calls {@link #resume()} later. */
		boolean ready();

		void next(OutboundFrame frame);

		/** The frames of this run are written: push them out. */
		void flush();

		/** No frame will follow. */
		void complete();

	}

	private record FluxFrameSink(FluxSink<OutboundFrame> flux) implements FrameSink {

		@Override
		public boolean ready() {
			return this.flux.requestedFromDownstream() > 0;
		}

		@Override
		public void next(OutboundFrame frame) {
			this.flux.next(frame);
		}

		@Override
		public void flush() {
		}

		@Override
		public void complete() {
			this.flux.complete();
		}

	}

}
