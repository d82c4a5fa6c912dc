package io.eventgateway.core.auth;

import java.time.Instant;

/**
 * Who a verified token speaks for, and until when.
 *
 * @param expiresAt when this server stops accepting the token: its {@code exp} plus the clock skew
 * the server allows
 */
public record ClientIdentity(String user, RoomPermissions rooms, Instant expiresAt) {

	public boolean isExpired(Instant now) {
		return !now.isBefore(this.expiresAt);
	}

}
