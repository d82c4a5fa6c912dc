package io.eventgateway.gateway.cluster;

import java.util.concurrent.atomic.AtomicInteger;

import io.eventgateway.gateway.testing.TestClient;
import tools.jackson.databind.JsonNode;

/** Publishes durable events one at a time, each awaiting its reply, and counts the outcomes. */
final class Publishing {

	private Publishing() {
	}

	/**
	 * Publishes {@code count} events, pausing between them; returns how many were acknowledged.
	 * Every reply is an {@code ack} or an {@code unavailable} error.
	 */
	static int publish(TestClient publisher, String room, String tag, int count, long pauseMillis,
			AtomicInteger unavailable) throws InterruptedException {
		int acked = 0;
		for (int i = 0; i < count; i++) {
			String ref = tag + "-" + i;
			publisher.send("{\"type\":\"publish\",\"room\":\"" + room + "\",\"event\":\"tick\",\"data\":{\"from\":\"" + tag
					+ "\",\"i\":" + i + "},\"ref\":\"" + ref + "\"}");
			JsonNode reply = publisher.nextMatching(message -> ref.equals(message.path("ref").asString()));
			if ("ack".equals(reply.path("type").asString())) {
				acked++;
			}
			else if ("unavailable".equals(reply.path("code").asString())) {
				unavailable.incrementAndGet();
			}
			else {
				throw new AssertionError("unexpected reply " + reply);
			}
			if (pauseMillis > 0) {
				Thread.sleep(pauseMillis);
			}
		}
		return acked;
	}

}
