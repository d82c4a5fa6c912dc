package io.eventgateway.gateway.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP proxy in front of a real server that can cut every connection and refuse new ones until it
 * heals: a network partition without touching the server itself. Plain threads, test use only.
 */
public final class FaultProxy implements AutoCloseable {

	private final String targetHost;

	private final int targetPort;

	private final ServerSocket listener;

	private final Set<Socket> open = ConcurrentHashMap.newKeySet();

	private volatile boolean cut;

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

	/** Drops every connection and refuses new ones. */
	public void cut() {
		this.cut = true;
		this.open.forEach(FaultProxy::closeQuietly);
		this.open.clear();
	}

	public void heal() {
		this.cut = false;
	}

	private void acceptLoop() {
		while (!this.closed) {
			try {
				Socket client = this.listener.accept();
				if (this.cut) {
					closeQuietly(client);
					continue;
				}
				Socket server = new Socket(this.targetHost, this.targetPort);
				this.open.add(client);
				this.open.add(server);
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

	private void pump(Socket from, Socket to) {
		Thread thread = new Thread(() -> {
			byte[] buffer = new byte[16 * 1024];
			try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
				int read;
				while ((read = in.read(buffer)) >= 0) {
					out.write(buffer, 0, read);
				}
			}
			catch (IOException ignored) {
				// The other side went away, or the proxy cut it.
			}
			finally {
				closeQuietly(from);
				closeQuietly(to);
			}
		}, "fault-proxy-pump");
		thread.setDaemon(true);
		thread.start();
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
		closeQuietly(new Socket());
		try {
			this.listener.close();
		}
		catch (IOException ignored) {
			// Closing is all that was asked.
		}
	}

}
