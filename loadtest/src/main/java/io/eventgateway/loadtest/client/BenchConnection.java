package io.eventgateway.loadtest.client;

import java.net.URI;
import java.nio.charset.StandardCharsets;

import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.netty.Connection;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.client.WebsocketClientSpec;

/** One generator connection: sends text frames, hands every received line to a listener. */
public final class BenchConnection {

	/** Called on the connection's event loop: must be quick and must not block. */
	public interface Listener {

		void onLine(BenchConnection connection, String line, long nowNanos);

		/** The socket is gone, whoever closed it. */
		default void onClosed(BenchConnection connection) {
		}

	}

	private static final int MAX_FRAME = 1 << 20;

	private final Sinks.Many<String> outbound = Sinks.many().unicast().onBackpressureBuffer();

	private final int index;

	private volatile Connection netty;

	/** Kept apart from the channel, which leaves its event loop once closed. */
	private volatile EventLoop eventLoop;

	/** The newest durable seq seen, for gap and duplicate checks; touched on one event loop only. */
	private long lastSeq = -1;

	private BenchConnection(int index) {
		this.index = index;
	}

	/** Completes once the upgrade is done; fails with the handshake's error (a refused status, a timeout). */
	public static Mono<BenchConnection> open(HttpClient http, URI url, String token, int index, Listener listener) {
		BenchConnection connection = new BenchConnection(index);
		return Mono.create(opened -> opened.onCancel(http.headers(headers -> headers.set("Authorization", "Bearer " + token))
			.websocket(WebsocketClientSpec.builder().maxFramePayloadLength(MAX_FRAME).build())
			.uri(url)
			.handle((in, out) -> {
				in.withConnection(netty -> {
					connection.netty = netty;
					connection.eventLoop = netty.channel().eventLoop();
					netty.onDispose(() -> listener.onClosed(connection));
				});
				opened.success(connection);
				// Errors here are the socket going away, which onClosed reports.
				in.aggregateFrames(MAX_FRAME).receiveFrames().subscribe(frame -> {
					if (frame instanceof TextWebSocketFrame text) {
						connection.split(text.content().toString(StandardCharsets.UTF_8), System.nanoTime(), listener);
					}
				}, error -> { });
				return out.sendString(connection.outbound.asFlux()).then();
			})
			// Once open, a failed send only means the socket is gone: onClosed reports it, and a sink that
			// has already succeeded ignores the error. A caller that gives up (a timeout) cancels the handshake.
			.subscribe(null, opened::error)));
	}

	private void split(String payload, long now, Listener listener) {
		int start = 0;
		while (start < payload.length()) {
			int end = payload.indexOf('\n', start);
			if (end < 0) {
				end = payload.length();
			}
			listener.onLine(this, payload.substring(start, end), now);
			start = end + 1;
		}
	}

	public int index() {
		return this.index;
	}

	public long lastSeq() {
		return this.lastSeq;
	}

	public void lastSeq(long seq) {
		this.lastSeq = seq;
	}

	/** Sends one frame; called from one thread at a time per connection. */
	public void send(String frame) {
		// Ignore result: a connection the server closed just loses its remaining publishes, which the
		// report counts as missing acks.
		this.outbound.tryEmitNext(frame);
	}

	/** Closes with a close frame, as a client that leaves does. */
	public void close() {
		// Ignore result: completing an already finished connection needs nothing.
		this.outbound.tryEmitComplete();
	}

	/** Drops the socket without a close frame, as a lost network does. */
	public void abort() {
		Connection connection = this.netty;
		if (connection != null) {
			connection.channel().close();
		}
	}

	/** Runs the task on this connection's event loop, after any line it is handing out now. */
	public void execute(Runnable task) {
		this.eventLoop.execute(task);
	}

}
