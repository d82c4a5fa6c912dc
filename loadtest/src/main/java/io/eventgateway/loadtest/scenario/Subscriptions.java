package io.eventgateway.loadtest.scenario;

import java.util.List;

import io.eventgateway.loadtest.client.BenchConnection;

/** Subscribers of the generator's rooms: subscriber i is a member of room {@code i % R}. */
final class Subscriptions {

	private Subscriptions() {
	}

	static String join(String room) {
		return "{\"type\":\"join\",\"room\":\"" + room + "\"}";
	}

	static int[] membersPerRoom(List<BenchConnection> subscribers, int rooms) {
		int[] members = new int[rooms];
		for (BenchConnection subscriber : subscribers) {
			members[subscriber.index() % rooms]++;
		}
		return members;
	}

	/** Whether the subscriber has seen its room up to the newest seq the publishers were told of. */
	static boolean reachedEnd(BenchConnection subscriber, Publishers publishers, int rooms) {
		long last = publishers.lastSeq(subscriber.index() % rooms);
		return last < 0 || subscriber.lastSeq() == last;
	}

}
