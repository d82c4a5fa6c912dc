package io.eventgateway.loadtest.client;

import java.net.ConnectException;
import java.util.concurrent.TimeoutException;

import io.netty.handler.codec.http.websocketx.WebSocketClientHandshakeException;
import reactor.netty.http.client.PrematureCloseException;

/** A short, bounded label for why a connection or request failed, to count failures by cause. */
public final class Failures {

	private Failures() {
	}

	public static String describe(Throwable error) {
		Throwable cause = error;
		while (cause.getCause() != null && cause.getCause() != cause && !(cause instanceof WebSocketClientHandshakeException)) {
			cause = cause.getCause();
		}
		if (cause instanceof WebSocketClientHandshakeException handshake && handshake.response() != null) {
			return "HTTP " + handshake.response().status().code();
		}
		if (cause instanceof TimeoutException) {
			return "timeout";
		}
		if (cause instanceof ConnectException) {
			return "connect refused";
		}
		if (cause instanceof PrematureCloseException) {
			return "closed early";
		}
		return cause.getClass().getSimpleName();
	}

}
