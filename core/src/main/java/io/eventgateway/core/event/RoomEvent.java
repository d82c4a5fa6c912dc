package io.eventgateway.core.event;

/**
 * An event of a room as it travels from publisher to members. Durable events carry the room's
 * {@code seq} (from 1); volatile ones carry 0. {@code data} is a JSON text, already validated.
 * {@code id} is the publisher's event id (the key of an idempotent publish) and {@code from} the
 * user whose request caused it; either may be {@code null}. The wire form is encoded once and
 * shared by every receiver.
 */
public final class RoomEvent {

	public static final long NO_SEQ = 0;

	private final String room;

	private final long seq;

	private final String event;

	private final String data;

	private final long timestamp;

	private final String id;

	private final String from;

	// Benign race: two threads may both encode, and both produce the same bytes.
	private byte[] wire;

	/** An event with no id and no user behind it (a task file's change). */
	public RoomEvent(String room, long seq, String event, String data, long timestamp) {
		this(room, seq, event, data, timestamp, null, null);
	}

	public RoomEvent(String room, long seq, String event, String data, long timestamp, String id, String from) {
		this.room = room;
		this.seq = seq;
		this.event = event;
		this.data = data;
		this.timestamp = timestamp;
		this.id = id;
		this.from = from;
	}

	/**
	 * @param id the publisher's event id, or {@code null}
	 * @param from the publishing user, or {@code null}
	 */
	public static RoomEvent volatileEvent(String room, String event, String data, long timestamp, String id, String from) {
		return new RoomEvent(room, NO_SEQ, event, data, timestamp, id, from);
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

	public String id() {
		return this.id;
	}

	public String from() {
		return this.from;
	}

	public boolean isDurable() {
		return this.seq != NO_SEQ;
	}

	/** Whether a line written to a client is an {@code event} message (as {@link #wire()} writes them). */
	public static boolean isEventLine(byte[] line) {
		return EventWireFormat.isEvent(line);
	}

	/** The {@code ts} of an {@code event} line written by {@link #wire()}; -1 for any other line. */
	public static long timestampOfLine(byte[] line) {
		return EventWireFormat.timestamp(line);
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
