package io.eventgateway.gateway.websocket;

import java.time.Duration;

import io.eventgateway.core.connection.CloseReason;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Graceful shutdown of the WebSocket side: refuse new handshakes, close every connection with 1012
 * (reconnect elsewhere), and wait a bounded time for them to go. Runs before the web server stops.
 */
public final class ConnectionDrain implements SmartLifecycle {

	private static final Logger logger = LoggerFactory.getLogger(ConnectionDrain.class);

	private final ConnectionRegistry connections;

	private final ConnectionLimiter limiter;

	private final Duration timeout;

	private volatile boolean running;

	public ConnectionDrain(ConnectionRegistry connections, ConnectionLimiter limiter, Duration timeout) {
		this.connections = connections;
		this.limiter = limiter;
		this.timeout = timeout;
	}

	@Override
	public void start() {
		this.running = true;
	}

	@Override
	public void stop() {
		this.running = false;
		this.limiter.startDraining();
		int open = this.connections.size();
		this.connections.all().forEach(connection -> connection.close(CloseReason.RESTART));
		long deadline = System.nanoTime() + this.timeout.toNanos();
		while (this.connections.size() > 0 && System.nanoTime() < deadline) {
			try {
				Thread.sleep(20);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				break;
			}
		}
		logger.info("drained {} connections, {} still open", open, this.connections.size());
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
