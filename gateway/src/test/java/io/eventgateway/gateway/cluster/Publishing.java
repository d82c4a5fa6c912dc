package io.eventgateway.gateway.cluster;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
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
		return publish(publisher, room, tag, count, pauseMillis, unavailable, new ConcurrentHashMap<>());
	}

	/** As above, and records when each ack came, by its {@code seq} ({@link System#nanoTime()}). */
	static int publish(TestClient publisher, String room, String tag, int count, long pauseMillis,
			AtomicInteger unavailable, Map<Long, Long> ackedAt) throws InterruptedException {
		int acked = 0;
		for (int i = 0; i < count; i++) {
			String ref = tag + "-" + i;
			publisher.send("{\"type\":\"publish\",\"room\":\"" + room + "\",\"event\":\"tick\",\"data\":{\"from\":\"" + tag
					+ "\",\"i\":" + i + "},\"ref\":\"" + ref + "\"}");
			TestClient.Received received = publisher.nextReceived(message -> ref.equals(message.path("ref").asString()),
					TestClient.TIMEOUT);
			JsonNode reply = received.message();
			if ("ack".equals(reply.path("type").asString())) {
				acked++;
				ackedAt.put(reply.path("seq").asLong(), received.atNanos());
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
