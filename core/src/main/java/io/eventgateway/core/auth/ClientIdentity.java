package io.eventgateway.core.auth;

import java.time.Instant;

/** Who a verified token speaks for, and until when. */
public record ClientIdentity(String user, RoomPermissions rooms, Instant expiresAt) {

	public boolean isExpired(Instant now) {
		return !now.isBefore(this.expiresAt);
	}

}
