package io.eventgateway.gateway.net;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * A WebSocket handshake written byte by byte, so that a test controls what a proxy would add in
 * front of it (a PROXY protocol line, {@code X-Forwarded-For}). The socket stays open when admitted.
 */
final class RawHandshake implements AutoCloseable {

	private final Socket socket;

	private final int status;

	private RawHandshake(Socket socket, int status) {
		this.socket = socket;
		this.status = status;
	}

	static RawHandshake open(String bindAddress, int port, String proxyLine, String forwardedFor, String token) {
		try {
			Socket socket = new Socket();
			socket.bind(new InetSocketAddress(InetAddress.getByName(bindAddress), 0));
			socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
			socket.setSoTimeout(10_000);
			StringBuilder request = new StringBuilder();
			if (proxyLine != null) {
				request.append(proxyLine).append("\r\n");
			}
			request.append("GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n")
				.append("Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n")
				.append("Authorization: Bearer ").append(token).append("\r\n");
			if (forwardedFor != null) {
				request.append("X-Forwarded-For: ").append(forwardedFor).append("\r\n");
			}
			request.append("\r\n");
			socket.getOutputStream().write(request.toString().getBytes(StandardCharsets.US_ASCII));
			return new RawHandshake(socket, readStatus(socket.getInputStream()));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static int readStatus(InputStream in) throws IOException {
		StringBuilder line = new StringBuilder();
		int next;
		while ((next = in.read()) >= 0 && next != '\n') {
			line.append((char) next);
		}
		String[] parts = line.toString().split(" ");
		return (parts.length > 1) ? Integer.parseInt(parts[1]) : -1;
	}

	int status() {
		return this.status;
	}

	@Override
	public void close() throws IOException {
		this.socket.close();
	}

}
