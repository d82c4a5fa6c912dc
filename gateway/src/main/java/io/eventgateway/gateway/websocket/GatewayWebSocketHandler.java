package io.eventgateway.gateway.websocket;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.function.LongSupplier;

import io.eventgateway.core.connection.CloseReason;
import io.eventgateway.core.connection.OutboundLimits;
import io.eventgateway.core.connection.OutboundQueue;
import io.eventgateway.core.ratelimit.TokenBucket;
import io.eventgateway.gateway.auth.ClientIdentity;
import io.eventgateway.gateway.metrics.GatewayMeters;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.reactive.socket.CloseStatus;
import org.springframework.web.reactive.socket.WebSocketHandler;
import org.springframework.web.reactive.socket.WebSocketMessage;
import org.springframework.web.reactive.socket.WebSocketSession;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import io.netty.channel.Channel;

/**
 * One pipeline per connection: inbound frames are decoded and handled one request at a time; the
 * outbound queue is written as frames of newline-separated messages. The connection ends when
 * either side closes.
 */
public final class GatewayWebSocketHandler implements WebSocketHandler {

	private static final Logger logger = LoggerFactory.getLogger(GatewayWebSocketHandler.class);

	/**
	 * @param outbound bounds of each connection's queue
	 * @param publishRate publishes per second per connection
	 * @param publishBurst publishes a connection may send at once
	 * @param badInputPerMinute bad requests tolerated per minute
	 * @param closeTimeout how long a close may wait for the client before the socket is dropped
	 * @param writeDelay longest a queued message waits so that it can share a write with others
	 */
	public record Settings(OutboundLimits outbound, int publishRate, int publishBurst, int badInputPerMinute,
			Duration closeTimeout, Duration writeDelay) {
	}

	private final FrameDecoder decoder;

	private final RequestHandler requests;

	private final ConnectionRegistry connections;

	private final Settings settings;

	private final LongSupplier nanoClock;

	private final MeterRegistry meters;

	private final Counter framesSent;

	private final WriteCoalescer coalescer;

	public GatewayWebSocketHandler(FrameDecoder decoder, RequestHandler requests, ConnectionRegistry connections,
			Settings settings, LongSupplier nanoClock, MeterRegistry meters) {
		this.decoder = decoder;
		this.requests = requests;
		this.connections = connections;
		this.settings = settings;
		this.nanoClock = nanoClock;
		this.meters = meters;
		this.framesSent = meters.counter(GatewayMeters.FRAMES_SENT);
		this.coalescer = new WriteCoalescer(settings.writeDelay());
	}

	/** Every admitted connection arrives through {@link #handle(WebSocketSession, Admission)}. */
	@Override
	public Mono<Void> handle(WebSocketSession session) {
		return session.close(CloseStatus.POLICY_VIOLATION.withReason("not admitted"));
	}

	Mono<Void> handle(WebSocketSession session, Admission admission) {
		ClientIdentity identity = admission.identity();
		ConnectionLimiter.Slot slot = admission.slot();
		// Frames are written straight into the channel, on its event loop (ChannelFrameSink).
		Channel transport = Objects.requireNonNull(admission.channel(), "a Reactor Netty transport");
		Executor writer = this.coalescer.writerFor(transport.eventLoop());
		long now = this.nanoClock.getAsLong();
		ClientConnection connection = new ClientConnection(session.getId(), identity,
				new OutboundQueue(this.settings.outbound(), writer, reason -> closeSession(session, transport, reason)),
				new TokenBucket(this.settings.publishRate(), this.settings.publishBurst(), this.nanoClock),
				new TokenBucket(this.settings.badInputPerMinute() / 60d, this.settings.badInputPerMinute(),
						this.nanoClock),
				now);
		this.connections.add(connection);

		Mono<Void> input = session.receive()
			.concatMap(message -> {
				connection.touch(this.nanoClock.getAsLong());
				return handle(connection, message);
			})
			.then()
			.onErrorResume(error -> {
				logger.debug("inbound of {} failed", connection.id(), error);
				connection.close(CloseReason.INTERNAL);
				return Mono.empty();
			})
			// The client is gone (or closed): stop writing.
			.doFinally(signal -> connection.outbound().close(CloseReason.CLIENT_GONE))
			.checkpoint("websocket inbound");

		ChannelFrameSink frames = new ChannelFrameSink(transport, connection.outbound(), this.framesSent);
		connection.outbound().attach(frames);
		Mono<Void> output = frames.done().asMono();

		return Mono.when(input, output).doFinally(signal -> {
			this.requests.leaveAll(connection);
			this.connections.remove(connection);
			if (slot != null) {
				slot.release();
			}
		});
	}

	private Mono<Void> handle(ClientConnection connection, WebSocketMessage message) {
		return switch (message.getType()) {
			case TEXT -> {
				String text = message.getPayloadAsText(StandardCharsets.UTF_8);
				yield Flux.fromIterable(this.decoder.decode(text))
					.concatMap(request -> this.requests.handle(connection, request))
					.then();
			}
			case BINARY -> this.requests.reject(connection, null, ErrorCode.BAD_REQUEST,
					"binary frames are not supported; send text frames of JSON");
			case PING, PONG -> Mono.empty();
		};
	}

	private void closeSession(WebSocketSession session, Channel transport, CloseReason reason) {
		if (reason == CloseReason.CLIENT_GONE) {
			return;
		}
		this.meters.counter(GatewayMeters.CONNECTIONS_CLOSED, "reason", reason.name().toLowerCase()).increment();
		session.close(new CloseStatus(reason.code(), reason.text()))
			.subscribe(null, error -> logger.debug("close of {} failed", session.getId(), error));
		// A client that does not read cannot take its close frame either: drop the socket after a while.
		Mono.delay(this.settings.closeTimeout()).subscribe(tick -> {
			if (transport.isOpen()) {
				transport.close();
			}
		});
	}

}
