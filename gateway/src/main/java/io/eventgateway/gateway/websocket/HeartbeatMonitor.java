package io.eventgateway.gateway.websocket;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.LongSupplier;

import io.eventgateway.core.connection.CloseReason;
import io.eventgateway.core.connection.Connection;
import io.eventgateway.gateway.support.PeriodicTask;
import reactor.core.publisher.Flux;

/**
 * One sweep over all connections, a few times per ping interval, instead of a timer per connection:
 * pings those due, tells those whose token is about to expire ({@code expiring}), closes those idle
 * past the timeout (1001) and those whose token expired (1008).
 */
public final class HeartbeatMonitor extends PeriodicTask {

	private final ConnectionRegistry connections;

	private final long pingIntervalNanos;

	private final long idleTimeoutNanos;

	private final Duration sweepInterval;

	private final LongSupplier nanoClock;

	private final Clock clock;

	private final ServerMessages messages;

	public HeartbeatMonitor(ConnectionRegistry connections, Duration pingInterval, Duration idleTimeout,
			LongSupplier nanoClock, Clock clock, ServerMessages messages) {
		this.connections = connections;
		this.messages = messages;
		this.pingIntervalNanos = pingInterval.toNanos();
		this.idleTimeoutNanos = idleTimeout.toNanos();
		Duration shortest = pingInterval.compareTo(idleTimeout) < 0 ? pingInterval : idleTimeout;
		this.sweepInterval = shortest.dividedBy(5).isZero() ? Duration.ofMillis(1) : shortest.dividedBy(5);
		this.nanoClock = nanoClock;
		this.clock = clock;
	}

	void sweep() {
		long now = this.nanoClock.getAsLong();
		Instant wallClock = this.clock.instant();
		for (Connection connection : this.connections.all()) {
			if (connection.takeExpiringNotice(wallClock.toEpochMilli())) {
				connection.send(this.messages.expiring(connection.identity().expiresAt().getEpochSecond()));
			}
			if (connection.isExpired(wallClock)) {
				connection.close(CloseReason.TOKEN_EXPIRED);
			}
			else if (now - connection.lastSeenNanos() > this.idleTimeoutNanos) {
				connection.close(CloseReason.IDLE);
			}
			else if (now - connection.lastPingNanos() >= this.pingIntervalNanos) {
				connection.ping(now);
			}
		}
	}

	@Override
	protected Flux<?> schedule() {
		return Flux.interval(this.sweepInterval, this.sweepInterval).doOnNext(tick -> sweep());
	}

}
