package io.eventgateway.gateway.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

import io.eventgateway.gateway.testing.TestClient;
import io.eventgateway.gateway.testing.RawSockets;
import io.eventgateway.gateway.testing.TestTokens;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/** Connections that hold the server without sending a whole request are closed; WebSockets are not. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { TestTokens.SECRET_PROPERTY, "gateway.http.idle-timeout=1s", "gateway.http.request-read-timeout=1s",
				"gateway.ws.ping-interval=10m", "gateway.ws.idle-timeout=20m" })
class HttpTimeoutIntegrationTests {

	@LocalServerPort
	int port;
	@Test
	void halfARequestLineIsClosedWithinTheTimeout() throws Exception {
		try (Socket socket = RawSockets.open(this.port)) {
			socket.getOutputStream().write("GET /api/tasks HT".getBytes(StandardCharsets.US_ASCII));
			assertThat(RawSockets.closedByServer(socket.getInputStream())).isTrue();
		}
	}

	@Test
	void aRequestHeadTrickledByteByByteIsClosed() throws Exception {
		byte[] head = "GET /actuator/health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Padding: aaaaaaaaaaaaaaaaaaaaaaaaaa\r\n\r\n"
			.getBytes(StandardCharsets.US_ASCII);
		try (Socket socket = RawSockets.open(this.port)) {
			OutputStream out = socket.getOutputStream();
			boolean cut = false;
			// 300 ms a byte: every read is recent, but the head would take half a minute.
			for (int i = 0; i < head.length && !cut; i++) {
				try {
					out.write(head[i]);
					out.flush();
					Thread.sleep(300);
				}
				catch (IOException ex) {
					cut = true;
				}
				if (i == 15) {
					// By now 4.5 s have passed: the server must have closed the connection.
					socket.setSoTimeout(100);
					cut = RawSockets.closedByServer(socket.getInputStream());
				}
			}
			assertThat(cut).isTrue();
		}
	}

	@Test
	void aKeepAliveConnectionIdleAfterItsAnswerIsClosed() throws Exception {
		try (Socket socket = RawSockets.open(this.port)) {
			socket.getOutputStream()
				.write("GET /actuator/health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
			InputStream in = socket.getInputStream();
			byte[] status = in.readNBytes(12);
			assertThat(new String(status, StandardCharsets.US_ASCII)).isEqualTo("HTTP/1.1 200");
			assertThat(RawSockets.closedByServer(in)).isTrue();
		}
	}

	@Test
	void aWebSocketQuietForLongerThanTheTimeoutStaysOpen() throws Exception {
		try (TestClient client = TestClient.connect(this.port, TestTokens.forRooms("quiet", "team-*"))) {
			Thread.sleep(2500);
			client.send("{\"type\":\"ping\",\"ref\":\"1\"}");
			assertThat(client.nextOfType("pong").path("ref").asString()).isEqualTo("1");
		}
	}

}
