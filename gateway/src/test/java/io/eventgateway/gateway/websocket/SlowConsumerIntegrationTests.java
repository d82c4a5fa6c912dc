package io.eventgateway.gateway.websocket;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.LongStream;

import io.eventgateway.gateway.metrics.GatewayMeters;
import io.eventgateway.gateway.testing.TestClient;
import io.eventgateway.gateway.testing.TestTokens;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A client that stops reading is cut off with 1013; its queue stays bounded; the others go on. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { TestTokens.SECRET_PROPERTY, "gateway.ws.outbound-max-messages=1000",
				"gateway.ws.outbound-max-size=2MB", "gateway.ws.outbound-frame-size=4KB",
				"gateway.ws.request-rate=100000", "gateway.ws.request-burst=100000",
				"gateway.ws.max-pending-publishes=100", "gateway.ws.close-timeout=20s",
				"gateway.ws.ping-interval=10m", "gateway.ws.idle-timeout=20m" })
class SlowConsumerIntegrationTests {

	// Room enough for a client in the same JVM that reads slower than the server writes under
	// load; far too little for one that does not read at all.
	private static final int MAX_MESSAGES = 1000;

	private static final long MAX_BYTES = 2 * 1024 * 1024;

	@LocalServerPort
	int port;

	@Autowired
	ConnectionRegistry connections;

	@Autowired
	MeterRegistry meters;

	@Test
	void aClientThatStopsReadingIsClosedWith1013WhileTheOthersReceiveEverything() {
		String room = "team-slow";
		String token = TestTokens.forRooms("u", "team-*");
		// Enough to fill the kernel's socket buffers (up to 4 MB here), Netty's 512 KB in flight and the queue.
		int events = 6_000;
		String payload = "x".repeat(2_000);
		try (TestClient slow = TestClient.connectWithSmallReceiveBuffer(this.port, token);
				TestClient healthy = TestClient.connect(this.port, token);
				TestClient publisher = TestClient.connect(this.port, token)) {
			slow.send("{\"type\":\"join\",\"room\":\"" + room + "\"}");
			slow.nextOfType("joined");
			healthy.send("{\"type\":\"join\",\"room\":\"" + room + "\"}");
			healthy.nextOfType("joined");
			slow.pauseReading();

			AtomicInteger largestQueue = new AtomicInteger();
			AtomicInteger largestQueueBytes = new AtomicInteger();
			Disposable sampler = Flux.interval(Duration.ofMillis(2)).subscribe(tick -> this.connections.all().forEach(connection -> {
				largestQueue.accumulateAndGet(connection.outbound().size(), Math::max);
				largestQueueBytes.accumulateAndGet((int) connection.outbound().sizeInBytes(), Math::max);
			}));
			try {
				for (int i = 0; i < events; i += 25) {
					StringBuilder frame = new StringBuilder();
					for (int j = i; j < i + 25; j++) {
						frame.append("{\"type\":\"publish\",\"room\":\"").append(room)
							.append("\",\"event\":\"bulk\",\"data\":\"").append(payload).append("\"}\n");
					}
					publisher.send(frame.toString());
					for (int j = 0; j < 25; j++) {
						publisher.nextOfType("ack");
					}
				}
				List<Long> seqs = healthy.eventSeqs(room, events);
				assertThat(seqs).containsExactlyElementsOf(LongStream.rangeClosed(1, events).boxed().toList());
				await().atMost(Duration.ofSeconds(15))
					.until(() -> this.meters.counter(GatewayMeters.CONNECTIONS_CLOSED, "reason", "slow_consumer").count() >= 1);
			}
			finally {
				sampler.dispose();
			}
			assertThat(largestQueue.get()).isLessThanOrEqualTo(MAX_MESSAGES);
			assertThat(largestQueueBytes.get()).isLessThanOrEqualTo((int) MAX_BYTES);
			assertThat(healthy.isClosed()).isFalse();

			slow.resumeReading();
			assertThat(slow.awaitClose().code()).isEqualTo(1013);
		}
	}

}
