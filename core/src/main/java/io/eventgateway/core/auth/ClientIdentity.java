package io.eventgateway.core.auth;

import java.time.Duration;
import java.time.Instant;

/**
 * Who a verified token speaks for, and until when.
 *
 * @param expiresAt the token's {@code exp}
 * @param clockSkew how long after {@code exp} this server still accepts the token, for an issuer
 * whose clock is behind
 */
public record ClientIdentity(String user, RoomPermissions rooms, Instant expiresAt, Duration clockSkew) {

	public boolean isExpired(Instant now) {
		return !now.isBefore(this.expiresAt.plus(this.clockSkew));
	}

}
