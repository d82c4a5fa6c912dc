package io.eventgateway.core.publish;

import java.security.SecureRandom;

/**
 * Chooses a room's append lane with a keyed hash. The key is random per instance, so nobody can
 * name rooms that share another room's lane and hold it up with a flood of their own publishes
 * ({@link String#hashCode()} collisions are easy to make).
 */
final class LaneSelector {

	private final int lanes;

	private final long key;

	LaneSelector(int lanes, long key) {
		this.lanes = lanes;
		this.key = key;
	}

	static LaneSelector withRandomKey(int lanes) {
		return new LaneSelector(lanes, new SecureRandom().nextLong());
	}

	int laneOf(String room) {
		long hash = this.key;
		for (int i = 0; i < room.length(); i++) {
			hash = mix(hash ^ room.charAt(i));
		}
		hash = mix(hash ^ room.length() ^ this.key);
		return (int) Math.floorMod(hash, (long) this.lanes);
	}

	/** The finalizer of SplitMix64: every input bit reaches every output bit. */
	private static long mix(long value) {
		long z = value + 0x9E3779B97F4A7C15L;
		z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
		z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
		return z ^ (z >>> 31);
	}

}
