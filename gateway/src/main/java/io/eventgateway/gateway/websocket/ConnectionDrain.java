package io.eventgateway.gateway.websocket;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import io.eventgateway.core.connection.CloseReason;
import io.eventgateway.core.connection.Connection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.SmartLifecycle;

/**
 * Graceful shutdown of the WebSocket side: readiness turns down (load balancers stop sending),
 * new handshakes are refused, and the connections are closed with 1012 (reconnect elsewhere)
 * spread evenly over the drain window, in random order, so a fleet of clients does not reconnect
 * in one burst; then a bounded wait for them to go. Runs before the web server stops. What each
 * connection has queued is written before its close frame, and a connection with durable publishes
 * in flight closes once each has its ack or error (new ones are answered {@code unavailable}).
 */
public final class ConnectionDrain implements SmartLifecycle {

	private static final Logger logger = LoggerFactory.getLogger(ConnectionDrain.class);

	/** How often a slice of the connections is closed during the window. */
	private static final Duration TICK = Duration.ofMillis(20);

	private final ConnectionRegistry connections;

	private final ConnectionLimiter limiter;

	private final ApplicationEventPublisher events;

	private final Duration window;

	private final Duration closeTimeout;

	private volatile boolean running;

	/** Whether a stop drained this instance (and a start must undo it). */
	private volatile boolean drained;

	/**
	 * @param window the closes are spread over this long
	 * @param closeTimeout how long the last closes may take after it
	 */
	public ConnectionDrain(ConnectionRegistry connections, ConnectionLimiter limiter, ApplicationEventPublisher events,
			Duration window, Duration closeTimeout) {
		this.connections = connections;
		this.limiter = limiter;
		this.events = events;
		this.window = window;
		this.closeTimeout = closeTimeout;
	}

	/** Also after a stop without a close (a paused context started again): ready and admitting. */
	@Override
	public void start() {
		if (this.drained) {
			this.drained = false;
			this.limiter.stopDraining();
			AvailabilityChangeEvent.publish(this.events, this, ReadinessState.ACCEPTING_TRAFFIC);
		}
		this.running = true;
	}

	@Override
	public void stop() {
		this.running = false;
		this.drained = true;
		AvailabilityChangeEvent.publish(this.events, this, ReadinessState.REFUSING_TRAFFIC);
		this.limiter.startDraining();
		List<Connection> open = new ArrayList<>(this.connections.all());
		Collections.shuffle(open);
		closeSpread(open);
		long deadline = System.nanoTime() + this.closeTimeout.toNanos();
		while (this.connections.size() > 0 && System.nanoTime() < deadline) {
			pause(TICK);
		}
		logger.info("drained {} connections over {}, {} still open", open.size(), this.window, this.connections.size());
	}

	// The i-th connection closes at i/n of the window: a steady rate of reconnects elsewhere.
	private void closeSpread(List<Connection> open) {
		long start = System.nanoTime();
		long windowNanos = Math.max(0, this.window.toNanos());
		int closed = 0;
		while (closed < open.size()) {
			long elapsed = System.nanoTime() - start;
			int due = (windowNanos == 0 || elapsed >= windowNanos) ? open.size()
					: (int) Math.min(open.size(), (open.size() * elapsed) / windowNanos + 1);
			for (; closed < due; closed++) {
				open.get(closed).closeOncePublishesSettle(CloseReason.RESTART);
			}
			if (closed < open.size() && !pause(TICK)) {
				break;
			}
		}
		for (; closed < open.size(); closed++) {
			open.get(closed).closeOncePublishesSettle(CloseReason.RESTART);
		}
	}

	private static boolean pause(Duration duration) {
		try {
			Thread.sleep(duration.toMillis());
			return true;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	/** Stops before the web server's own graceful shutdown. */
	@Override
	public int getPhase() {
		return Integer.MAX_VALUE;
	}

}
