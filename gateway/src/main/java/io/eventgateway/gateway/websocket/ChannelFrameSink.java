package io.eventgateway.gateway.websocket;

import java.util.List;
import java.util.concurrent.TimeUnit;

import io.eventgateway.core.connection.OutboundFrame;
import io.eventgateway.core.event.RoomEvent;
import io.eventgateway.core.connection.OutboundQueue;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;

/**
 * Writes a connection's frames straight into its Netty channel, on the channel's event loop, with
 * one flush per writer run. While the channel is not writable (its write buffer is past the high
 * water mark) the queue keeps what waits, within its bounds; the channel handler resumes the queue
 * when Netty reports the channel writable again.
 */
final class ChannelFrameSink implements OutboundQueue.FrameSink {

	private static final byte NEWLINE = '\n';

	/**
	 * What every connection's writes count: frames, the events they carry, and the fan-out latency of
	 * each frame's first event (the oldest it carries), measured once per frame to keep writes cheap.
	 */
	record WriteMeters(Counter frames, Counter deliveries, Timer fanout) {
	}

	private final Channel channel;

	private final WriteMeters meters;

	private boolean written;

	ChannelFrameSink(Channel channel, WriteMeters meters) {
		this.channel = channel;
		this.meters = meters;
	}

	@Override
	public boolean ready() {
		return this.channel.isActive() && this.channel.isWritable();
	}

	@Override
	public void next(OutboundFrame frame) {
		if (frame instanceof OutboundFrame.Text text) {
			this.meters.frames().increment();
			int events = 0;
			long firstTimestamp = -1;
			for (byte[] line : text.lines()) {
				if (RoomEvent.isEventLine(line)) {
					if (events++ == 0) {
						firstTimestamp = RoomEvent.timestampOfLine(line);
					}
				}
			}
			if (events > 0) {
				this.meters.deliveries().increment(events);
			}
			if (firstTimestamp >= 0) {
				// ts is the publishing instance's clock: skew between instances shows here, never below 0.
				this.meters.fanout().record(Math.max(0, System.currentTimeMillis() - firstTimestamp), TimeUnit.MILLISECONDS);
			}
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

	// The close frame follows from the queue's close callback, on the same writer.
	@Override
	public void complete() {
	}

}
