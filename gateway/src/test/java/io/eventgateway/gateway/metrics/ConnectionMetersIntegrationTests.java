package io.eventgateway.gateway.metrics;

import java.time.Duration;
import java.util.function.BooleanSupplier;

import io.eventgateway.gateway.testing.TestClient;
import io.eventgateway.gateway.testing.TestTokens;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The connection meters move with what connections go through: a slow consumer, closes, fan-out. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { TestTokens.SECRET_PROPERTY, "gateway.ws.outbound-max-messages=200",
				"gateway.ws.outbound-max-size=512KB", "gateway.ws.outbound-frame-size=4KB",
				"gateway.ws.write-buffer-high-water-mark=64KB", "gateway.ws.write-buffer-low-water-mark=32KB",
				"gateway.ws.request-rate=100000", "gateway.ws.request-burst=100000", "gateway.ws.bad-input-limit=2",
				"gateway.ws.max-pending-publishes=100", "gateway.ws.max-connections=1234",
				"gateway.ws.close-timeout=1s", "gateway.ws.ping-interval=10m", "gateway.ws.idle-timeout=20m" })
class ConnectionMetersIntegrationTests {

	private static final Duration DEADLINE = Duration.ofSeconds(30);

	@LocalServerPort
	int port;

	@Autowired
	MeterRegistry meters;

	private double counter(String name, String... tags) {
		return this.meters.counter(name, tags).count();
	}

	private double dropped(String reason) {
		return counter(GatewayMeters.EVENTS_DROPPED, "reason", reason);
	}

	private double ended(String code, String initiator) {
		return counter(GatewayMeters.CONNECTIONS_ENDED, "code", code, "initiator", initiator);
	}

	@Test
	void aClientThatStopsReadingShowsInTheQueueDistributionTheUnwritableTimeAndTheDrops() {
		String room = "team-slow";
		String token = TestTokens.forRooms("u", "team-*");
		String payload = "x".repeat(2_000);
		double slowClosesBefore = ended("1013", "server");
		try (TestClient slow = TestClient.connectWithSmallReceiveBuffer(this.port, token);
				TestClient publisher = TestClient.connect(this.port, token)) {
			slow.send("{\"type\":\"join\",\"room\":\"" + room + "\"}");
			slow.nextOfType("joined");
			slow.pauseReading();

			publishUntil(publisher, room, payload, true, () -> dropped("volatile_shed") > 0
					&& this.meters.get(GatewayMeters.CONNECTIONS_UNWRITABLE).gauge().value() == 1);
			await().atMost(DEADLINE).until(() -> this.meters.get(GatewayMeters.OUTBOUND_QUEUE_MESSAGES).summary().max() > 0);

			publishUntil(publisher, room, payload, false, () -> ended("1013", "server") > slowClosesBefore);
			assertThat(dropped("slow_consumer_close")).isPositive();
			assertThat(this.meters.get(GatewayMeters.OUTBOUND_QUEUE_BYTES).summary().max()).isPositive();
			// The socket is dropped once the close timeout passed: its unwritable spell ends there.
			await().atMost(DEADLINE).until(() -> this.meters.get(GatewayMeters.CONNECTIONS_UNWRITABLE).gauge().value() == 0);
			assertThat(this.meters.get(GatewayMeters.UNWRITABLE_TIME).counter().count()).isPositive();
		}
	}

	private void publishUntil(TestClient publisher, String room, String payload, boolean volatileEvents,
			BooleanSupplier done) {
		long deadline = System.nanoTime() + DEADLINE.toNanos();
		int batch = 0;
		while (!done.getAsBoolean()) {
			assertThat(System.nanoTime()).as("met within " + DEADLINE).isLessThan(deadline);
			StringBuilder frame = new StringBuilder();
			for (int i = 0; i < 25; i++) {
				frame.append("{\"type\":\"publish\",\"room\":\"").append(room).append("\",\"event\":\"bulk\",\"data\":\"")
					.append(payload).append("\"");
				frame.append(volatileEvents ? ",\"volatile\":true" : "").append(",\"ref\":\"").append(batch).append('-')
					.append(i).append("\"}\n");
			}
			publisher.send(frame.toString());
			for (int i = 0; i < 25; i++) {
				publisher.nextOfType("ack");
			}
			batch++;
		}
	}

	@Test
	void closesCountUnderTheirCodeAndWhoClosed() {
		double policyBefore = ended("1008", "server");
		double clientBefore = ended("1000", "client");
		double openedBefore = counter(GatewayMeters.CONNECTIONS_OPENED);
		String token = TestTokens.forRooms("u", "team-*");
		try (TestClient unruly = TestClient.connect(this.port, token)) {
			for (int i = 0; i < 4; i++) {
				unruly.send("{\"type\":\"dance\"}");
			}
			assertThat(unruly.awaitClose().code()).isEqualTo(1008);
		}
		TestClient polite = TestClient.connect(this.port, token);
		polite.send("{\"type\":\"ping\"}");
		polite.nextOfType("pong");
		polite.close();
		await().atMost(DEADLINE).until(() -> ended("1008", "server") == policyBefore + 1 && ended("1000", "client") == clientBefore + 1);
		assertThat(counter(GatewayMeters.CONNECTIONS_OPENED)).isEqualTo(openedBefore + 2);
	}

	@Test
	void aDeliveryRecordsItsFanOutAndTheLimitAndEveryDropReasonAreThereFromTheStart() {
		String token = TestTokens.forRooms("u", "team-*");
		long fanoutBefore = this.meters.get(GatewayMeters.FANOUT).timer().count();
		try (TestClient client = TestClient.connect(this.port, token)) {
			client.send("{\"type\":\"join\",\"room\":\"team-f\"}");
			client.nextOfType("joined");
			client.send("{\"type\":\"publish\",\"room\":\"team-f\",\"event\":\"e\",\"data\":1,\"ref\":\"1\"}");
			client.nextOfType("event");
			await().atMost(DEADLINE).until(() -> this.meters.get(GatewayMeters.FANOUT).timer().count() > fanoutBefore);
		}
		assertThat(this.meters.get(GatewayMeters.CONNECTIONS_LIMIT).gauge().value()).isEqualTo(1234);
		for (String reason : new String[] { "volatile_shed", "slow_consumer_close", "rate_limited" }) {
			assertThat(this.meters.find(GatewayMeters.EVENTS_DROPPED).tag("reason", reason).counter()).as(reason).isNotNull();
		}
	}

}
