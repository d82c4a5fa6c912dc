package io.eventgateway.loadtest.chaos;

import java.util.Map;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/**
 * One thing a chaos run saw, at {@code t} milliseconds after its start: one line of the history
 * file. {@code client} names a subscriber (and its user), {@code conn} counts its connections.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({ @JsonSubTypes.Type(value = Observation.Publish.class, name = "publish"),
		@JsonSubTypes.Type(value = Observation.Ack.class, name = "ack"),
		@JsonSubTypes.Type(value = Observation.Refused.class, name = "refused"),
		@JsonSubTypes.Type(value = Observation.Delivery.class, name = "event"),
		@JsonSubTypes.Type(value = Observation.Join.class, name = "join"),
		@JsonSubTypes.Type(value = Observation.Joined.class, name = "joined"),
		@JsonSubTypes.Type(value = Observation.Closed.class, name = "close"),
		@JsonSubTypes.Type(value = Observation.Fault.class, name = "fault"),
		@JsonSubTypes.Type(value = Observation.Readiness.class, name = "readiness"),
		@JsonSubTypes.Type(value = Observation.Stored.class, name = "stored"),
		@JsonSubTypes.Type(value = Observation.Presence.class, name = "presence"),
		@JsonSubTypes.Type(value = Observation.Final.class, name = "final") })
public sealed interface Observation {

	long t();

	/** A durable publish sent for the first time; re-sends carry the same id and are not recorded again. */
	record Publish(long t, String client, String room, String id) implements Observation {
	}

	record Ack(long t, String client, String room, String id, long seq, boolean duplicate) implements Observation {
	}

	/** A publish answered with an error ({@code unavailable}...): it stays pending and is sent again. */
	record Refused(long t, String client, String room, String id, String code) implements Observation {
	}

	/** A durable event a subscriber took in; {@code id} is the publish id the event carries. */
	record Delivery(long t, String client, int conn, String room, long seq, String id) implements Observation {
	}

	/** A join sent; {@code since} is -1 for a first join without one. */
	record Join(long t, String client, int conn, String room, long since) implements Observation {
	}

	record Joined(long t, String client, int conn, String room, long seq, boolean recovered) implements Observation {
	}

	/** A connection that ended, with its close code (1006 when the socket went without a close frame). */
	record Closed(long t, String client, int conn, int code) implements Observation {
	}

	/** A fault's phases: {@code start} and {@code heal}; {@code readiness} says whether readiness must show it. */
	record Fault(long t, String name, String phase, boolean readiness) implements Observation {
	}

	/** A change of one instance's readiness answer (the first sample too). */
	record Readiness(long t, String instance, boolean ready) implements Observation {
	}

	/** An event read back from the store after the run. */
	record Stored(long t, String room, long seq, String id) implements Observation {
	}

	/** The members of a room's presence, read once the lease had passed, and those that should be there. */
	record Presence(long t, String room, Map<String, Integer> observed, Map<String, Integer> expected) implements Observation {
	}

	/** A subscriber at the end of the run: whether it was connected and joined, so it must hold everything. */
	record Final(long t, String client, String room, boolean live) implements Observation {
	}

}
