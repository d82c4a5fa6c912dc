package io.eventgateway.gateway.testing;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** A redis-server of the test's own, on a free port, that the test may kill and start again. */
public final class PrivateRedis implements AutoCloseable {

	private final int port;

	private Process process;

	public PrivateRedis() {
		this.port = FreePorts.next();
	}

	public String url() {
		return "redis://127.0.0.1:" + this.port;
	}

	public synchronized PrivateRedis start() {
		try {
			this.process = new ProcessBuilder("redis-server", "--port", String.valueOf(this.port), "--bind", "127.0.0.1",
					"--save", "", "--appendonly", "no")
				.redirectErrorStream(true)
				.redirectOutput(ProcessBuilder.Redirect.DISCARD)
				.start();
		}
		catch (IOException ex) {
			throw new IllegalStateException("redis-server could not be started (is it installed?)", ex);
		}
		awaitListening(Duration.ofSeconds(10));
		return this;
	}

	/** Kills the server at once, as a crash would. */
	public synchronized void kill() {
		if (this.process != null) {
			this.process.destroyForcibly();
			try {
				this.process.waitFor(10, TimeUnit.SECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			this.process = null;
		}
	}

	private void awaitListening(Duration timeout) {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (System.nanoTime() < deadline) {
			try (Socket socket = new Socket("127.0.0.1", this.port)) {
				return;
			}
			catch (IOException notYet) {
				try {
					Thread.sleep(50);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
					return;
				}
			}
		}
		throw new IllegalStateException("redis-server did not listen on " + this.port);
	}

	@Override
	public void close() {
		kill();
	}

	/** Free local ports, found by binding to port 0. */
	static final class FreePorts {

		static int next() {
			try (ServerSocket socket = new ServerSocket(0)) {
				return socket.getLocalPort();
			}
			catch (IOException ex) {
				throw new IllegalStateException(ex);
			}
		}

	}

}
