package io.eventgateway.gateway.websocket;

import java.util.HashMap;
import java.util.Map;

import io.eventgateway.gateway.metrics.GatewayMeters;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Counts how connections ended, by close code and by who closed. Codes outside a fixed set count as
 * {@code other}, so a client cannot make new series; every series exists from the start.
 */
final class CloseCodes {

	/** 1005: a close frame without a code; 1006: the transport was lost without a close frame. */
	private static final int[] KNOWN = { 1000, 1001, 1005, 1006, 1008, 1009, 1011, 1012, 1013 };

	static final int NO_STATUS = 1005;

	static final int ABNORMAL = 1006;

	enum Initiator {

		SERVER, CLIENT,

		/** Neither side sent a close frame: the transport went away. */
		NONE

	}

	private final Map<Initiator, Map<Integer, Counter>> known = new HashMap<>();

	private final Map<Initiator, Counter> other = new HashMap<>();

	CloseCodes(MeterRegistry meters) {
		for (Initiator initiator : Initiator.values()) {
			Map<Integer, Counter> byCode = new HashMap<>();
			for (int code : KNOWN) {
				byCode.put(code, counter(meters, String.valueOf(code), initiator));
			}
			this.known.put(initiator, byCode);
			this.other.put(initiator, counter(meters, "other", initiator));
		}
	}

	private static Counter counter(MeterRegistry meters, String code, Initiator initiator) {
		return meters.counter(GatewayMeters.CONNECTIONS_ENDED, "code", code, "initiator", initiator.name().toLowerCase());
	}

	void ended(int code, Initiator initiator) {
		this.known.get(initiator).getOrDefault(code, this.other.get(initiator)).increment();
	}

}
