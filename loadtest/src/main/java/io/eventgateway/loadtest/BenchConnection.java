package io.eventgateway.loadtest;

import java.net.URI;
import java.nio.charset.StandardCharsets;

import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.client.WebsocketClientSpec;

/** One generator connection: sends text frames, hands every received line to a listener. */
final class BenchConnection {

	/** Called on an event loop for each received line: must be quick and must not block. */
	interface Listener {

		void onLine(BenchConnection connection, String line, long nowNanos);

	}

	private final Sinks.Many<String> outbound = Sinks.many().unicast().onBackpressureBuffer();

	final int index;

	/** The newest durable seq seen, for gap and duplicate checks; touched on one event loop only. */
	long lastSeq;

	private BenchConnection(int index) {
		this.index = index;
	}

	static Mono<BenchConnection> open(HttpClient http, URI url, String token, int index, Listener listener) {
		BenchConnection connection = new BenchConnection(index);
		return Mono.create(opened -> http.headers(headers -> headers.set("Authorization", "Bearer " + token))
			.websocket(WebsocketClientSpec.builder().maxFramePayloadLength(1 << 20).build())
			.uri(url)
			.handle((in, out) -> {
				opened.success(connection);
				in.aggregateFrames(1 << 20).receiveFrames().subscribe(frame -> {
					if (frame instanceof TextWebSocketFrame text) {
						long now = System.nanoTime();
						String payload = text.content().toString(StandardCharsets.UTF_8);
						int start = 0;
						while (start < payload.length()) {
							int end = payload.indexOf('\n', start);
							if (end < 0) {
								end = payload.length();
							}
							listener.onLine(connection, payload.substring(start, end), now);
							start = end + 1;
						}
					}
				});
				return out.sendString(connection.outbound.asFlux()).then();
			})
			.subscribe(null, opened::error));
	}

	/** Sends one frame; called from one thread at a time per connection. */
	void send(String frame) {
		// Ignore result: a connection the server closed just loses its remaining publishes, which the
		// report counts as missing acks.
		this.outbound.tryEmitNext(frame);
	}

	void close() {
		// Ignore result: completing an already finished connection needs nothing.
		this.outbound.tryEmitComplete();
	}

}
