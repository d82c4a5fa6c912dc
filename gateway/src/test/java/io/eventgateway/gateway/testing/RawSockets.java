package io.eventgateway.gateway.testing;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;

/** Plain TCP connections to a gateway, for requests no HTTP client would send (trickled, oversized). */
public final class RawSockets {

	private RawSockets() {
	}

	/** A connection to the port on loopback whose reads give up after 10 s. */
	public static Socket open(int port) throws IOException {
		Socket socket = new Socket();
		socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
		socket.setSoTimeout(10_000);
		return socket;
	}

	/** Whether the server closed the connection (end of stream or reset) before the socket's read timeout. */
	public static boolean closedByServer(InputStream in) {
		try {
			while (in.read() >= 0) {
				// an answer may come first (a keep-alive answer, a 408, a 431): read on to the end
			}
			return true;
		}
		catch (SocketTimeoutException ex) {
			return false;
		}
		catch (IOException ex) {
			return true;
		}
	}

}
