package io.eventgateway.gateway.testing;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Gateways in one JVM are independent: closing one leaves the others serving. */
class GatewayInstanceTests {

	@Test
	void closingOneGatewayLeavesAnotherServingWebSocketsAndHttp() {
		try (GatewayInstance survivor = GatewayInstance.start();
				TestClient connectedBefore = survivor.connect("before", "team-*")) {
			GatewayInstance closed = GatewayInstance.start();
			try (TestClient onClosed = closed.connect("gone", "team-*")) {
				assertPong(onClosed, "c");
			}
			closed.close();

			assertPong(connectedBefore, "1");
			try (TestClient connectedAfter = survivor.connect("after", "team-*")) {
				assertPong(connectedAfter, "2");
			}
			assertThat(HttpCall.to(survivor.port(), "GET", "/actuator/health").send().status()).isEqualTo(200);
			assertThat(connectedBefore.isClosed()).isFalse();
		}
	}

	private static void assertPong(TestClient client, String ref) {
		client.send("{\"type\":\"ping\",\"ref\":\"" + ref + "\"}");
		assertThat(client.nextOfType("pong").path("ref").asString()).isEqualTo(ref);
	}

}
