package io.eventgateway.loadtest.scenario;

import java.util.concurrent.atomic.AtomicInteger;

import io.eventgateway.loadtest.measure.Monitor;

/** Counts {@code error} replies and shows the first few, enough to see what went wrong without flooding. */
final class ServerErrors {

	private static final int SHOWN = 5;

	private final Monitor monitor;

	private final AtomicInteger shown = new AtomicInteger();

	ServerErrors(Monitor monitor) {
		this.monitor = monitor;
	}

	void record(String line) {
		this.monitor.error();
		if (this.shown.incrementAndGet() <= SHOWN) {
			System.err.println("error from server: " + line);
		}
	}

}
