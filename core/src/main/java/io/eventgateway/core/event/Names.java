package io.eventgateway.core.event;

import java.util.regex.Pattern;

/**
 * The name rules of the wire contract. Room and event names are restricted to characters that never
 * need escaping in JSON, which is what lets {@link EventWireFormat} write them without an encoder.
 */
public final class Names {

	private static final Pattern ROOM = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

	private static final Pattern EVENT = Pattern.compile("[A-Za-z0-9._:-]{1,64}");

	/** A client-chosen event id: the key of an idempotent publish. */
	private static final Pattern EVENT_ID = Pattern.compile("[A-Za-z0-9._:-]{1,64}");

	/** The longest {@code sub} a token may carry: it travels as every event's {@code from}. */
	public static final int MAX_USER_LENGTH = 256;

	/** Event names only the server publishes (task API and task files); clients are refused them. */
	private static final String SERVER_EVENT_PREFIX = "task.";

	private Names() {
	}

	public static boolean isValidRoom(String room) {
		return room != null && ROOM.matcher(room).matches();
	}

	public static boolean isValidEvent(String event) {
		return event != null && EVENT.matcher(event).matches();
	}

	public static boolean isValidEventId(String id) {
		return id != null && EVENT_ID.matcher(id).matches();
	}

	/** Whether only the server may publish an event of this name: a client's publish is forbidden. */
	public static boolean isServerEvent(String event) {
		return event.startsWith(SERVER_EVENT_PREFIX);
	}

}
