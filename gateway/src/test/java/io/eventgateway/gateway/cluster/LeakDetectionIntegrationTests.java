package io.eventgateway.gateway.cluster;

import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.eventgateway.gateway.metrics.GatewayMeters;
import io.eventgateway.gateway.testing.HttpCall;
import io.eventgateway.gateway.testing.RawSockets;
import io.eventgateway.gateway.testing.RoomHistory;
import io.eventgateway.gateway.testing.TestClient;
import io.eventgateway.gateway.testing.TestTokens;
import io.eventgateway.gateway.testing.TwoInstanceCluster;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Netty's leak detector at PARANOID (every buffer tracked, in the gateways, their Redis and
 * PostgreSQL clients and the test's own clients) while two instances serve what wears buffers:
 * fan-out across instances, durable and volatile publishes, a slow consumer closed with 1013 and its
 * replay, frames over the limit, binary frames, a frame cut off by a vanished peer, refused
 * handshakes and gzipped HTTP answers. No buffer is reported leaked; a buffer leaked on purpose
 * is, which shows the detector was watching.
 */
class LeakDetectionIntegrationTests {

	private static final ListAppender<ILoggingEvent> reports = new ListAppender<>();

	private static final Logger detectorLog = (Logger) LoggerFactory.getLogger(ResourceLeakDetector.class);

	private static TwoInstanceCluster cluster;

	@BeforeAll
	static void start() {
		// Boot sets the level when each gateway starts; the property keeps it at PARANOID.
		ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);
		cluster = TwoInstanceCluster.start("spring.netty.leak-detection=paranoid", "gateway.ws.outbound-max-messages=500",
				"gateway.ws.max-pending-publishes=100", "gateway.ws.outbound-max-size=1MB", "gateway.ws.outbound-frame-size=4KB",
				"gateway.ws.request-rate=100000", "gateway.ws.request-burst=100000", "gateway.ws.bad-input-limit=100000",
				"gateway.http.rate-limit=100000", "gateway.http.rate-limit-burst=100000");
		// After the start: Boot's logging set-up removes appenders added before it.
		reports.start();
		detectorLog.addAppender(reports);
	}

	@AfterAll
	static void stop() {
		try {
			if (cluster != null) {
				cluster.close();
			}
		}
		finally {
			ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.DISABLED);
			detectorLog.detachAppender(reports);
		}
	}

	@Test
	void noBufferLeaksWhileBothInstancesServeEveryKindOfTraffic() throws Exception {
		assertThat(detectorLog.isErrorEnabled()).as("leak reports are logged").isTrue();
		String room = "team-leaks";
		String token = TestTokens.forRooms("u", "team-*");
		int events = 1_500;
		// 9 MB: past the socket buffers and the slow consumer's queue.
		String payload = "x".repeat(6_000);
		try (TestClient onA = TestClient.connect(cluster.a().port(), token);
				TestClient onB = TestClient.connect(cluster.b().port(), token);
				TestClient slow = TestClient.connectWithSmallReceiveBuffer(cluster.b().port(), token);
				TestClient publisher = TestClient.connect(cluster.a().port(), token)) {
			for (TestClient member : List.of(onA, onB, slow)) {
				member.send("{\"type\":\"join\",\"room\":\"" + room + "\",\"since\":0}");
				member.nextOfType("joined");
			}
			slow.pauseReading();
			for (int i = 0; i < events; i += 5) {
				StringBuilder frame = new StringBuilder();
				for (int j = i; j < i + 5; j++) {
					frame.append("{\"type\":\"publish\",\"room\":\"").append(room).append("\",\"event\":\"bulk\",\"data\":\"")
						.append(payload).append("\"}\n")
						.append("{\"type\":\"publish\",\"room\":\"").append(room)
						.append("\",\"event\":\"typing\",\"volatile\":true,\"data\":").append(j).append("}\n");
				}
				publisher.send(frame.toString());
				for (int j = 0; j < 5; j++) {
					publisher.nextOfType("ack");
				}
			}
			List<Long> all = LongStream.rangeClosed(1, events).boxed().toList();
			assertThat(onA.eventSeqs(room, events)).isEqualTo(all);
			assertThat(onB.eventSeqs(room, events)).as("across instances").isEqualTo(all);
			await().atMost(Duration.ofSeconds(15)).until(() -> cluster.b().bean(MeterRegistry.class)
				.counter(GatewayMeters.CONNECTIONS_CLOSED, "reason", "slow_consumer").count() >= 1);
			// Closed with 1013 behind the megabytes it did not read (SlowConsumerIntegrationTests reads them).
			slow.resumeReading();

			try (TestClient replayed = TestClient.connect(cluster.b().port(), token)) {
				// 9 MB replayed through a queue of 1 MB: in pages that fit, before the joined reply.
				replayed.send("{\"type\":\"join\",\"room\":\"" + room + "\",\"since\":0}");
				assertThat(replayed.eventSeqs(room, events)).as("a whole replay").isEqualTo(all);
				assertThat(replayed.nextOfType("joined").path("recovered").asBoolean()).isTrue();
			}
		}
		badInput(cluster.a().port(), token);
		badInput(cluster.b().port(), token);
		httpAnswers(room, token);

		// Buffers leaked by the traffic are reported by the same collections that report the canary.
		leakOnPurpose();
		await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(() -> {
			collectAndTrack();
			return leakReports().stream().anyMatch(report -> report.contains("leakOnPurpose"));
		});
		assertThat(leakReports()).as("nothing but the canary leaked").allMatch(report -> report.contains("leakOnPurpose"));
	}

	private static void badInput(int port, String token) throws Exception {
		try (TestClient tooLarge = TestClient.connect(port, token)) {
			tooLarge.send("{\"type\":\"publish\",\"room\":\"team-x\",\"event\":\"e\",\"data\":\"" + "y".repeat(70_000) + "\"}");
			assertThat(tooLarge.awaitClose().code()).isEqualTo(1009);
		}
		try (TestClient binary = TestClient.connect(port, token)) {
			binary.sendBinary(new byte[] { 1, 2, 3, (byte) 0xff });
			assertThat(binary.next().path("code").asString()).isEqualTo("bad_request");
			binary.send("{\"type\":\"publish\"");
			assertThat(binary.next().path("code").asString()).isEqualTo("bad_request");
		}
		assertThat(TestClient.refusal("ws://127.0.0.1:" + port + "/ws", "Bearer not-a-token").status()).isEqualTo(401);
		// A peer that vanishes in the middle of a frame's payload.
		try (Socket socket = RawSockets.open(port)) {
			OutputStream out = socket.getOutputStream();
			out.write(("GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
					+ "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
					+ "Authorization: Bearer " + token + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
			out.flush();
			byte[] head = new byte[12];
			assertThat(socket.getInputStream().read(head)).isPositive();
			// A masked text frame announcing 1,000 bytes, of which 10 arrive.
			out.write(new byte[] { (byte) 0x81, (byte) 0xfe, 0x03, (byte) 0xe8, 1, 2, 3, 4 });
			out.write("0123456789".getBytes(StandardCharsets.US_ASCII));
			out.flush();
		}
	}

	private static void httpAnswers(String room, String token) {
		for (int port : List.of(cluster.a().port(), cluster.b().port())) {
			assertThat(RoomHistory.read(port, room, token)).extracting(event -> event.path("seq").asLong())
				.containsExactlyElementsOf(LongStream.rangeClosed(1, 1_500).boxed().toList());
			HttpCall.Answer gzipped = HttpCall.to(port, "GET", "/api/rooms/" + room + "/events?since=0&limit=500")
				.token(token).header("Accept-Encoding", "gzip").send();
			assertThat(gzipped.header("Content-Encoding")).isEqualTo("gzip");
			HttpCall.Answer created = HttpCall.to(port, "POST", "/api/teams/tasks-of-leaks/tasks").token(token)
				.body("{\"title\":\"t\"}").send();
			assertThat(created.status()).isEqualTo(201);
			String id = created.body().path("id").asString();
			HttpCall.Answer read = HttpCall.to(port, "GET", "/api/tasks/" + id).token(token).send();
			assertThat(HttpCall.to(port, "GET", "/api/tasks/" + id).token(token).header("If-None-Match", read.header("ETag"))
				.send().status()).isEqualTo(304);
			assertThat(HttpCall.to(port, "POST", "/api/teams/tasks-of-leaks/tasks").token(token).body("{not json").send().status())
				.isEqualTo(400);
			assertThat(HttpCall.to(port, "GET", "/no/such/path").token(token).send().status()).isEqualTo(404);
		}
	}

	private static void leakOnPurpose() {
		ByteBuf canary = PooledByteBufAllocator.DEFAULT.directBuffer(64);
		canary.writeInt(1);
	}

	// A report is written when a tracked buffer is allocated after its leaked one was collected.
	private static void collectAndTrack() {
		System.gc();
		for (int i = 0; i < 64; i++) {
			PooledByteBufAllocator.DEFAULT.directBuffer(16).release();
		}
	}

	private static List<String> leakReports() {
		List<String> found = new ArrayList<>();
		List<ILoggingEvent> logged;
		synchronized (reports) {
			logged = List.copyOf(reports.list);
		}
		for (ILoggingEvent event : logged) {
			if (event.getLevel().isGreaterOrEqual(Level.ERROR) && event.getFormattedMessage().contains("LEAK")) {
				found.add(event.getFormattedMessage());
			}
		}
		return found;
	}

}
