package io.eventgateway.core.event;

/**
 * An event of a room as it travels from publisher to members. Durable events carry the room's
 * {@code seq} (from 1); volatile ones carry 0. {@code data} is a JSON text, already validated.
 * The wire form is encoded once and shared by every receiver.
 */
public final class RoomEvent {

	public static final long NO_SEQ = 0;

	private final String room;

	private final long seq;

	private final String event;

	private final String data;

	private final long timestamp;

	// Benign race: two threads may both encode, and both produce the same bytes.
	private byte[] wire;

	public RoomEvent(String room, long seq, String event, String data, long timestamp) {
		this.room = room;
		this.seq = seq;
		this.event = event;
		this.data = data;
		this.timestamp = timestamp;
	}

	public static RoomEvent volatileEvent(String room, String event, String data, long timestamp) {
		return new RoomEvent(room, NO_SEQ, event, data, timestamp);
	}

	public String room() {
		return this.room;
	}

	public long seq() {
		return this.seq;
	}

	public String event() {
		return this.event;
	}

	public String data() {
		return this.data;
	}

	public long timestamp() {
		return this.timestamp;
	}

	public boolean isDurable() {
		return this.seq != NO_SEQ;
	}

	/** The {@code event} message as one line of UTF-8 JSON, without the separating newline. */
	public byte[] wire() {
		byte[] bytes = this.wire;
		if (bytes == null) {
			bytes = EventWireFormat.encode(this);
			this.wire = bytes;
		}
		return bytes;
	}

	@Override
	public String toString() {
		return "RoomEvent[" + this.room + "#" + this.seq + " " + this.event + "]";
	}

}
