package io.eventgateway.core.event;

/**
 * The name rules of the wire contract. Room and event names are restricted to characters that never
 * need escaping in JSON, which is what lets {@link EventWireFormat} write them without an encoder.
 */
public final class Names {

	private static final int MAX_ROOM_LENGTH = 128;

	private static final int MAX_EVENT_LENGTH = 64;

	/** A client-chosen event id, the key of an idempotent publish, follows the rule of event names. */
	private static final int MAX_EVENT_ID_LENGTH = 64;

	/** The longest {@code sub} a token may carry: it travels as every event's {@code from}. */
	public static final int MAX_USER_LENGTH = 256;

	/** Event names only the server publishes (task API and task files); clients are refused them. */
	private static final String SERVER_EVENT_PREFIX = "task.";

	private Names() {
	}

	public static boolean isValidRoom(String room) {
		return isName(room, MAX_ROOM_LENGTH);
	}

	public static boolean isValidEvent(String event) {
		return isName(event, MAX_EVENT_LENGTH);
	}

	public static boolean isValidEventId(String id) {
		return isName(id, MAX_EVENT_ID_LENGTH);
	}

	// [A-Za-z0-9._:-]{1,max}, checked on every publish: a loop, not a regular expression's matcher.
	private static boolean isName(String text, int maxLength) {
		if (text == null || text.isEmpty() || text.length() > maxLength) {
			return false;
		}
		for (int i = 0; i < text.length(); i++) {
			char c = text.charAt(i);
			boolean allowed = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_'
					|| c == ':' || c == '-';
			if (!allowed) {
				return false;
			}
		}
		return true;
	}

	/** Whether only the server may publish an event of this name: a client's publish is forbidden. */
	public static boolean isServerEvent(String event) {
		return event.startsWith(SERVER_EVENT_PREFIX);
	}

}
