package io.eventgateway.core.task;

import java.time.Clock;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Task ids that sort by creation time: 10 characters of milliseconds and 16 random ones, in
 * Crockford's base 32 (26 characters, like a ULID). Pages in id order are then pages in creation
 * order, and new tasks land at the end. Ids need not be secret (every read checks the caller's
 * rooms), so a non-blocking random source is enough.
 */
public final class TaskIds {

	private static final char[] ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ".toCharArray();

	private final Clock clock;

	public TaskIds(Clock clock) {
		this.clock = clock;
	}

	public String next() {
		char[] id = new char[26];
		long millis = this.clock.millis();
		for (int i = 9; i >= 0; i--) {
			id[i] = ALPHABET[(int) (millis & 31)];
			millis >>>= 5;
		}
		byte[] noise = new byte[16];
		ThreadLocalRandom.current().nextBytes(noise);
		for (int i = 0; i < 16; i++) {
			id[10 + i] = ALPHABET[noise[i] & 31];
		}
		return new String(id);
	}

}
