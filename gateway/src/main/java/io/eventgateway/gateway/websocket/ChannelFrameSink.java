package io.eventgateway.gateway.websocket;

import java.util.List;
import java.util.concurrent.TimeUnit;

import io.eventgateway.core.connection.OutboundFrame;
import io.eventgateway.core.connection.OutboundQueue;
import io.micrometer.core.instrument.Counter;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import reactor.core.publisher.Sinks;

/**
 * Writes a connection's frames straight into its Netty channel, on the channel's event loop, with
 * one flush per writer run. Going through the WebSocket session's send publisher cost more per
 * frame than the socket write itself; frame order and the close that follows them are unchanged,
 * since both are written from the same event loop in queue order.
 */
final class ChannelFrameSink implements OutboundQueue.FrameSink {

	private static final byte NEWLINE = '\n';

	private static final long UNWRITABLE_RETRY_MILLIS = 5;

	private static final WriteBufferWaterMark WRITE_BUFFER = new WriteBufferWaterMark(256 * 1024, 512 * 1024);

	private final Channel channel;

	private final OutboundQueue queue;

	private final Counter framesSent;

	private final Sinks.Empty<Void> done = Sinks.empty();

	private boolean written;

	private boolean retryScheduled;

	ChannelFrameSink(Channel channel, OutboundQueue queue, Counter framesSent) {
		this.channel = channel;
		this.queue = queue;
		this.framesSent = framesSent;
		// Room for a burst in flight beyond the outbound queue, as the session's send publisher had
		// (128 frames): a reader that is only briefly behind is not taken for a slow consumer.
		channel.config().setWriteBufferWaterMark(WRITE_BUFFER);
	}

	/** Completes when the queue has written its last frame. */
	Sinks.Empty<Void> done() {
		return this.done;
	}

	// The socket's buffer is full: the queue keeps what waits (within its bounds) and tries again.
	@Override
	public boolean ready() {
		if (!this.channel.isActive()) {
			return false;
		}
		if (this.channel.isWritable()) {
			return true;
		}
		if (!this.retryScheduled) {
			this.retryScheduled = true;
			this.channel.eventLoop().schedule(() -> {
				this.retryScheduled = false;
				this.queue.resume();
			}, UNWRITABLE_RETRY_MILLIS, TimeUnit.MILLISECONDS);
		}
		return false;
	}

	@Override
	public void next(OutboundFrame frame) {
		if (frame instanceof OutboundFrame.Text text) {
			this.framesSent.increment();
			this.channel.write(new TextWebSocketFrame(payload(text.lines(), text.frameLength())), this.channel.voidPromise());
		}
		else {
			this.channel.write(new PingWebSocketFrame(), this.channel.voidPromise());
		}
		this.written = true;
	}

	private ByteBuf payload(List<byte[]> lines, int length) {
		if (lines.size() == 1) {
			return Unpooled.wrappedBuffer(lines.get(0));
		}
		ByteBuf buffer = this.channel.alloc().buffer(length);
		for (int i = 0; i < lines.size(); i++) {
			if (i > 0) {
				buffer.writeByte(NEWLINE);
			}
			buffer.writeBytes(lines.get(i));
		}
		return buffer;
	}

	@Override
	public void flush() {
		if (this.written) {
			this.written = false;
			this.channel.flush();
		}
	}

	@Override
	public void complete() {
		this.done.tryEmitEmpty();
	}

}
