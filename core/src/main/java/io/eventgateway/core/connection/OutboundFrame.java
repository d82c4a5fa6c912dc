package io.eventgateway.core.connection;

import java.util.List;

/** What a connection's writer sends next: one text frame of newline-separated messages, or a ping. */
public sealed interface OutboundFrame {

	OutboundFrame PING = new Ping();

	record Text(List<byte[]> lines, int bytes) implements OutboundFrame {

		/** Bytes of the frame once the lines are joined with {@code \n}. */
		public int frameLength() {
			return this.bytes + this.lines.size() - 1;
		}

	}

	record Ping() implements OutboundFrame {
	}

}
