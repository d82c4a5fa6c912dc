package io.eventgateway.gateway.websocket;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
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

import io.eventgateway.gateway.testing.GatewayInstance;
import io.eventgateway.gateway.testing.HttpCall;
import io.eventgateway.gateway.testing.TestClient;
import io.eventgateway.gateway.testing.RawSockets;
import io.eventgateway.gateway.testing.TestTokens;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Connections meant to exhaust the gateway: floods of handshakes past the per-address and global
 * limits, a 64 KiB header, request heads trickled byte by byte. Each gets its documented refusal
 * or is closed, and a client connected before (from an address of its own) is served throughout.
 */
class HostileConnectionsIntegrationTests {

	private static final String TOKEN = TestTokens.forRooms("flood", "team-*");

	private static GatewayInstance gateway;

	private static TestClient bystander;

	@BeforeAll
	static void start() {
		gateway = GatewayInstance.start("gateway.ws.max-connections=12", "gateway.ws.max-connections-per-address=4",
				"gateway.ws.retry-after=3s", "gateway.http.idle-timeout=1s", "gateway.http.request-read-timeout=1s",
				"gateway.http.rate-limit=1000000", "gateway.http.rate-limit-burst=1000000");
		bystander = TestClient.connect(gateway.port(), TestTokens.forRooms("alice", "team-*"), "127.0.0.2", false);
	}

	@AfterAll
	static void stop() {
		if (bystander != null) {
			bystander.close();
		}
		if (gateway != null) {
			gateway.close();
		}
	}

	@BeforeEach
	void onlyTheBystanderIsConnected() {
		await().atMost(Duration.ofSeconds(10)).until(() -> gateway.bean(ConnectionLimiter.class).total() == 1);
	}

	private static String url() {
		return "ws://127.0.0.1:" + gateway.port() + "/ws";
	}

	@Test
	void aFloodPastTheLimitsIsRefusedWithRetryAfterAndTheConnectedAreServed() throws Exception {
		List<TestClient> held = new ArrayList<>();
		ExecutorService pool = Executors.newFixedThreadPool(8);
		try {
			for (int i = 0; i < 4; i++) {
				held.add(TestClient.connect(gateway.port(), TOKEN, "127.0.0.1", false));
			}
			assertEveryRefusal(flood(pool, 40), 429);
			assertServed(bystander, "per-address");
			assertServed(held.get(0), "held");

			// Up to the instance's limit from other addresses; then even 127.0.0.1 meets a full instance first.
			for (int address = 3; gateway.bean(ConnectionLimiter.class).total() < 12; address++) {
				for (int i = 0; i < 4 && gateway.bean(ConnectionLimiter.class).total() < 12; i++) {
					held.add(TestClient.connect(gateway.port(), TOKEN, "127.0.0." + address, false));
				}
			}
			assertEveryRefusal(flood(pool, 40), 503);
			assertServed(bystander, "full");
			for (TestClient client : held) {
				assertThat(client.isClosed()).as("a connection made before the flood").isFalse();
			}
			assertThat(HttpCall.to(gateway.port(), "GET", "/actuator/health").send().status()).isEqualTo(200);
		}
		finally {
			pool.shutdownNow();
			held.forEach(TestClient::close);
		}
	}

	private static List<TestClient.Refusal> flood(ExecutorService pool, int handshakes) throws Exception {
		List<Future<TestClient.Refusal>> attempts = new ArrayList<>();
		for (int i = 0; i < handshakes; i++) {
			attempts.add(pool.submit(() -> TestClient.refusal(url(), "Bearer " + TOKEN)));
		}
		List<TestClient.Refusal> refusals = new ArrayList<>();
		for (Future<TestClient.Refusal> attempt : attempts) {
			refusals.add(attempt.get());
		}
		return refusals;
	}

	private static void assertEveryRefusal(List<TestClient.Refusal> refusals, int status) {
		for (TestClient.Refusal refusal : refusals) {
			assertThat(refusal.status()).as(refusal.body()).isEqualTo(status);
			assertThat(refusal.retryAfter()).isEqualTo("3");
			assertThat(refusal.contentType()).isEqualTo("application/problem+json");
		}
	}

	@Test
	void aHeaderOf64KiBIsRefusedAndTheServerGoesOnServing() throws Exception {
		// A handshake whose token and upgrade headers all come before the huge one: a request that
		// could not be read whole must not be taken for what its first headers say.
		String handshake = "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\nAuthorization: Bearer "
				+ TOKEN + "\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nX-Padding: a\r\nX-Padding: b\r\n";
		String huge = "X-Huge: " + "a".repeat(64 * 1024) + "\r\n";
		for (String path : List.of("/actuator/health", "/ws", "/api/tasks")) {
			try (Socket socket = RawSockets.open(gateway.port())) {
				socket.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" + handshake + huge + "\r\n")
					.getBytes(StandardCharsets.US_ASCII));
				String status = new String(socket.getInputStream().readNBytes(12), StandardCharsets.US_ASCII);
				assertThat(status).as(path).isEqualTo("HTTP/1.1 431");
				assertThat(RawSockets.closedByServer(socket.getInputStream())).as("closed after the refusal").isTrue();
			}
			assertServed(bystander, path);
			assertThat(HttpCall.to(gateway.port(), "GET", "/actuator/health").send().status()).isEqualTo(200);
		}
	}

	@Test
	void requestHeadsTrickledByteByByteAreClosedWhileOthersAreServed() throws Exception {
		byte[] head = ("GET /actuator/health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Padding: " + "a".repeat(60) + "\r\n\r\n")
			.getBytes(StandardCharsets.US_ASCII);
		List<CompletableFuture<Boolean>> trickles = new ArrayList<>();
		for (int i = 0; i < 20; i++) {
			trickles.add(CompletableFuture.supplyAsync(() -> trickleUntilClosed(head), Executors.newSingleThreadExecutor()));
		}
		long until = System.nanoTime() + Duration.ofSeconds(3).toNanos();
		int served = 0;
		while (System.nanoTime() < until) {
			assertServed(bystander, "trickle-" + served);
			assertThat(HttpCall.to(gateway.port(), "GET", "/actuator/health").send().status()).isEqualTo(200);
			served++;
		}
		for (CompletableFuture<Boolean> trickle : trickles) {
			assertThat(trickle.get()).as("closed long before the head was done").isTrue();
		}
	}

	/** Whether the server closed the connection before a quarter of the head was sent (300 ms a byte). */
	private static boolean trickleUntilClosed(byte[] head) {
		try (Socket socket = RawSockets.open(gateway.port())) {
			OutputStream out = socket.getOutputStream();
			for (int i = 0; i < head.length / 4; i++) {
				try {
					out.write(head[i]);
					out.flush();
					Thread.sleep(300);
				}
				catch (IOException cut) {
					return true;
				}
				if (i == 15) {
					// By now 4.5 s have passed, far past the timeout of 1 s.
					socket.setSoTimeout(100);
					return RawSockets.closedByServer(socket.getInputStream());
				}
			}
			return false;
		}
		catch (IOException ex) {
			return true;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
	}
	private static void assertServed(TestClient client, String ref) {
		client.send("{\"type\":\"ping\",\"ref\":\"" + ref.replace("/", "") + "\"}");
		assertThat(client.nextOfType("pong").path("ref").asString()).isEqualTo(ref.replace("/", ""));
		assertThat(client.isClosed()).isFalse();
	}

}
