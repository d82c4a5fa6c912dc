package io.eventgateway.loadtest.chaos;

/** One broken invariant, by kind, with what showed it. */
public record Violation(Kind kind, String detail) {

	public enum Kind {

		/** An acknowledged publish is missing from the store, or stored under another seq. */
		ACKED_NOT_STORED,
		/** A publish never acknowledged by the end of the run, though the client kept sending it. */
		NEVER_ACKED,
		/** One id stored twice, or acknowledged with two different seqs. */
		STORED_TWICE,
		/** A room's stored seqs are not 1, 2, 3, ... */
		SEQ_GAP,
		/** One (room, seq) seen with two different events. */
		CONFLICTING_EVENT,
		/** A subscriber took in one seq twice. */
		DUPLICATE_DELIVERY,
		/** A subscriber live at the end lacks a stored event after its first join. */
		MISSED_DELIVERY,
		/** A join answered recovered:true that did not replay exactly since+1..seq, or recovered:false with a replay. */
		PARTIAL_RECOVERY,
		/** Presence, once the lease passed, differs from the connections that exist. */
		GHOST_PRESENCE,
		/** No acknowledgement within the stated time after a fault healed (or struck, for a lost instance). */
		LATE_RESUME,
		/** Readiness did not go down while a store or broker fault lasted, or did not come back. */
		READINESS_BLIND

	}

}
