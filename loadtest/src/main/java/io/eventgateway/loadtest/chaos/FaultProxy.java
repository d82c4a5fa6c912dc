package io.eventgateway.loadtest.chaos;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A TCP proxy in front of a real server that can cut every connection and refuse new ones until it
 * heals: a network partition without touching the server itself. It can also slow its connections
 * (a delay before each chunk passed on, a cap on bytes per second), as a congested link would.
 * Plain threads: a few connections of a pool, not a data path to be fast on.
 */
final class FaultProxy implements AutoCloseable {

	private static final int CHUNK = 16 * 1024;

	private final String targetHost;

	private final int targetPort;

	private final ServerSocket listener;

	/** Guards {@link #open} and {@link #cut} together: a connection is either closed by a cut or sees it. */
	private final Object lock = new Object();

	private final List<Socket> open = new ArrayList<>();

	private boolean cut;

	private volatile long delayNanos;

	private volatile long bytesPerSecond;

	private volatile boolean closed;

	public FaultProxy(String targetAddress) {
		String[] hostPort = targetAddress.split(":");
		this.targetHost = hostPort[0];
		this.targetPort = Integer.parseInt(hostPort[1]);
		try {
			this.listener = new ServerSocket();
			this.listener.bind(new InetSocketAddress("127.0.0.1", 0));
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
		Thread acceptor = new Thread(this::acceptLoop, "fault-proxy-accept");
		acceptor.setDaemon(true);
		acceptor.start();
	}

	public String address() {
		return "127.0.0.1:" + this.listener.getLocalPort();
	}

	/** Drops every connection, those being accepted at this moment too, and refuses new ones. */
	public void cut() {
		List<Socket> dropped;
		synchronized (this.lock) {
			this.cut = true;
			dropped = new ArrayList<>(this.open);
			this.open.clear();
		}
		dropped.forEach(FaultProxy::closeQuietly);
	}

	/**
	 * Slows every connection, open and new, in both directions.
	 * @param delay waited before each chunk read is passed on
	 * @param bytesPerSecond most bytes passed on per second and direction; 0 for no cap
	 */
	public void slow(Duration delay, long bytesPerSecond) {
		this.delayNanos = delay.toNanos();
		this.bytesPerSecond = bytesPerSecond;
	}

	/** Lets connections through again, at full speed. */
	public void heal() {
		this.delayNanos = 0;
		this.bytesPerSecond = 0;
		synchronized (this.lock) {
			this.cut = false;
		}
	}

	private void acceptLoop() {
		while (!this.closed) {
			try {
				Socket client = this.listener.accept();
				Socket server;
				try {
					server = isCut() ? null : new Socket(this.targetHost, this.targetPort);
				}
				catch (IOException unreachable) {
					closeQuietly(client);
					continue;
				}
				if (server == null || !register(client, server)) {
					closeQuietly(client);
					if (server != null) {
						closeQuietly(server);
					}
					continue;
				}
				pump(client, server);
				pump(server, client);
			}
			catch (IOException ex) {
				if (this.closed) {
					return;
				}
			}
		}
	}

	private boolean isCut() {
		synchronized (this.lock) {
			return this.cut;
		}
	}

	/** Registers both ends unless a cut came first, checked under the lock the cut takes. */
	private boolean register(Socket client, Socket server) {
		synchronized (this.lock) {
			if (this.cut) {
				return false;
			}
			this.open.add(client);
			this.open.add(server);
			return true;
		}
	}

	private void pump(Socket from, Socket to) {
		Thread thread = new Thread(() -> {
			byte[] buffer = new byte[CHUNK];
			try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
				int read;
				while ((read = in.read(buffer)) >= 0) {
					pass(out, buffer, read);
				}
			}
			catch (IOException ignored) {
				// The other side went away, or the proxy cut it.
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			finally {
				closeQuietly(from);
				closeQuietly(to);
			}
		}, "fault-proxy-pump");
		thread.setDaemon(true);
		thread.start();
	}

	/** Passes a chunk on after the delay, in slices no larger than the cap allows per tenth of a second. */
	private void pass(OutputStream out, byte[] buffer, int length) throws IOException, InterruptedException {
		long delay = this.delayNanos;
		if (delay > 0) {
			TimeUnit.NANOSECONDS.sleep(delay);
		}
		int offset = 0;
		while (offset < length) {
			long cap = this.bytesPerSecond;
			int slice = (cap > 0) ? (int) Math.max(1, Math.min(length - offset, cap / 10)) : length - offset;
			out.write(buffer, offset, slice);
			out.flush();
			offset += slice;
			if (cap > 0) {
				TimeUnit.NANOSECONDS.sleep(TimeUnit.SECONDS.toNanos(slice) / cap);
			}
		}
	}

	private static void closeQuietly(Socket socket) {
		try {
			socket.close();
		}
		catch (IOException ignored) {
			// Closing is all that was asked.
		}
	}

	@Override
	public void close() {
		this.closed = true;
		cut();
		try {
			this.listener.close();
		}
		catch (IOException ignored) {
			// Closing is all that was asked.
		}
	}

}
