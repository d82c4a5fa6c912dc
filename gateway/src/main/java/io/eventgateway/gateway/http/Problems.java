package io.eventgateway.gateway.http;

/** Stable RFC 9457 problem type URIs. */
public final class Problems {

	private static final String PREFIX = "urn:event-gateway:problem:";

	private Problems() {
	}

	public static String type(String name) {
		return PREFIX + name;
	}

}
