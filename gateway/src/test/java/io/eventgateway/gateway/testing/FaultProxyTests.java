package io.eventgateway.gateway.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The proxy passes bytes both ways, slows them when asked, and a cut leaves no connection alive. */
class FaultProxyTests {

	private EchoServer echo;

	private FaultProxy proxy;

	@BeforeEach
	void start() throws IOException {
		this.echo = new EchoServer();
		this.proxy = new FaultProxy("127.0.0.1:" + this.echo.port());
	}

	@AfterEach
	void stop() throws IOException {
		this.proxy.close();
		this.echo.close();
	}

	@Test
	void bytesPassBothWaysUntilACutAndAgainAfterItHeals() throws IOException {
		try (Socket before = connect()) {
			assertThat(roundTrip(before, "hello")).isEqualTo("hello");
			this.proxy.cut();
			assertThat(closedByPeer(before)).as("open before the cut").isTrue();
		}
		try (Socket during = connect()) {
			assertThat(closedByPeer(during)).as("accepted during the cut").isTrue();
		}
		this.proxy.heal();
		try (Socket after = connect()) {
			assertThat(roundTrip(after, "again")).isEqualTo("again");
		}
	}

	@Test
	void noConnectionAcceptedAroundACutSurvivesIt() throws Exception {
		ExecutorService pool = Executors.newFixedThreadPool(8);
		try {
			for (int round = 0; round < 20; round++) {
				List<Future<Socket>> connecting = new ArrayList<>();
				for (int i = 0; i < 8; i++) {
					connecting.add(pool.submit(this::connect));
				}
				// The cut lands while those connections are being accepted and connected to the server.
				this.proxy.cut();
				for (Future<Socket> future : connecting) {
					try (Socket socket = future.get()) {
						assertThat(closedByPeer(socket)).as("round " + round).isTrue();
					}
				}
				this.proxy.heal();
			}
		}
		finally {
			pool.shutdownNow();
		}
	}

	@Test
	void aSlowedConnectionIsDelayedPerChunkAndCappedInBandwidth() throws Exception {
		try (Socket socket = connect()) {
			this.proxy.slow(Duration.ofMillis(300), 0);
			long start = System.nanoTime();
			assertThat(roundTrip(socket, "late")).isEqualTo("late");
			// Delayed on the way there and on the way back.
			assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(600));

			this.proxy.slow(Duration.ZERO, 32 * 1024);
			byte[] payload = new byte[48 * 1024];
			start = System.nanoTime();
			CompletableFuture<byte[]> back = CompletableFuture.supplyAsync(() -> readExactly(socket, payload.length));
			socket.getOutputStream().write(payload);
			assertThat(back.get()).hasSize(payload.length);
			// 48 KiB at 32 KiB/s each way: at least a second and a half.
			assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(1400));

			this.proxy.heal();
			assertThat(roundTrip(socket, "fast")).isEqualTo("fast");
		}
	}

	private Socket connect() throws IOException {
		String[] hostPort = this.proxy.address().split(":");
		Socket socket = new Socket();
		socket.connect(new InetSocketAddress(hostPort[0], Integer.parseInt(hostPort[1])), 5000);
		socket.setSoTimeout(5000);
		return socket;
	}

	private static String roundTrip(Socket socket, String text) throws IOException {
		byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
		socket.getOutputStream().write(bytes);
		return new String(readExactly(socket, bytes.length), StandardCharsets.UTF_8);
	}

	private static byte[] readExactly(Socket socket, int length) {
		try {
			return socket.getInputStream().readNBytes(length);
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** Whether the other end closed (end of stream or reset) within the socket's read timeout. */
	private static boolean closedByPeer(Socket socket) {
		try {
			// Anything written now must not come back: the echo would answer an open connection.
			socket.getOutputStream().write('x');
			return socket.getInputStream().read() < 0;
		}
		catch (SocketTimeoutException ex) {
			return false;
		}
		catch (IOException ex) {
			return true;
		}
	}

	/** Echoes every byte back, one thread per connection. */
	private static final class EchoServer implements AutoCloseable {

		private final ServerSocket listener = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress());

		EchoServer() throws IOException {
			Thread acceptor = new Thread(() -> {
				while (!this.listener.isClosed()) {
					try {
						Socket socket = this.listener.accept();
						Thread echo = new Thread(() -> {
							try (socket; InputStream in = socket.getInputStream(); OutputStream out = socket.getOutputStream()) {
								in.transferTo(out);
							}
							catch (IOException ignored) {
								// The client went away.
							}
						}, "echo");
						echo.setDaemon(true);
						echo.start();
					}
					catch (IOException closed) {
						return;
					}
				}
			}, "echo-accept");
			acceptor.setDaemon(true);
			acceptor.start();
		}

		int port() {
			return this.listener.getLocalPort();
		}

		@Override
		public void close() throws IOException {
			this.listener.close();
		}

	}

}
