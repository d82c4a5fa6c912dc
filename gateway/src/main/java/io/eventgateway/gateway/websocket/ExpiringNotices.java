package io.eventgateway.gateway.websocket;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

import io.eventgateway.core.auth.ClientIdentity;

/**
 * When a connection is told that its token is about to expire: {@code lead} before {@code exp},
 * each connection up to a fifth of it later, so a fleet of clients given tokens at one moment does
 * not refresh them all at the same instant.
 */
public final class ExpiringNotices {

	private final long leadMillis;

	/** @param lead how long before {@code exp} at most; zero sends no notice */
	public ExpiringNotices(Duration lead) {
		this.leadMillis = lead.toMillis();
	}

	/** The notice's time in epoch milliseconds, or 0 for none. */
	public long noticeAt(ClientIdentity identity) {
		if (this.leadMillis <= 0) {
			return 0;
		}
		long spread = ThreadLocalRandom.current().nextLong(this.leadMillis / 5 + 1);
		return Math.max(1, identity.expiresAt().toEpochMilli() - this.leadMillis + spread);
	}

}
