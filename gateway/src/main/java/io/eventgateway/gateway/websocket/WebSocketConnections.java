package io.eventgateway.gateway.websocket;

import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

import io.eventgateway.core.auth.ClientIdentity;
import io.eventgateway.core.connection.Connection;
import io.eventgateway.core.connection.Memberships;
import io.eventgateway.core.connection.OutboundLimits;
import io.eventgateway.core.connection.OutboundQueue;
import io.eventgateway.core.ratelimit.TokenBucket;
import io.eventgateway.gateway.metrics.EventDrops;
import io.eventgateway.gateway.metrics.GatewayMeters;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.netty.channel.Channel;

/**
 * Makes the connection of an admitted handshake: its core {@link Connection} (outbound queue,
 * budgets), its frame sink on the channel, and the channel handler that carries its requests.
 */
public final class WebSocketConnections {

	/**
	 * @param outbound bounds of each connection's queue
	 * @param requestRate requests (of any kind) per second per connection
	 * @param requestBurst requests a connection may send at once
	 * @param badInputPerMinute bad requests tolerated per minute
	 * @param maxFramePayload largest inbound message, fragments included
	 * @param closeTimeout how long a close may wait for the client before the socket is dropped
	 */
	public record Settings(OutboundLimits outbound, int requestRate, int requestBurst, int badInputPerMinute,
			int maxFramePayload, Duration closeTimeout) {
	}

	private final Settings settings;

	private final FrameDecoder decoder;

	private final RequestHandler requests;

	private final Memberships memberships;

	private final ConnectionRegistry registry;

	private final WriteCoalescer coalescer;

	private final LongSupplier nanoClock;

	private final MeterRegistry meters;

	private final ChannelFrameSink.WriteMeters writeMeters;

	private final ExpiringNotices expiringNotices;

	private final EventDrops drops;

	private final Counter opened;

	private final CloseCodes closeCodes;

	private final UnwritableTime unwritableTime;

	// From a random start: the ids (8 hex digits, conn=… in the logs) of two instances seldom meet.
	private final AtomicLong ids = new AtomicLong(ThreadLocalRandom.current().nextLong(1L << 28, 1L << 31));

	public WebSocketConnections(Settings settings, FrameDecoder decoder, RequestHandler requests,
			Memberships memberships, ConnectionRegistry registry, WriteCoalescer coalescer, ExpiringNotices expiringNotices,
			LongSupplier nanoClock, MeterRegistry meters, EventDrops drops) {
		this.settings = settings;
		this.expiringNotices = expiringNotices;
		this.decoder = decoder;
		this.requests = requests;
		this.memberships = memberships;
		this.registry = registry;
		this.coalescer = coalescer;
		this.nanoClock = nanoClock;
		this.meters = meters;
		this.drops = drops;
		this.writeMeters = new ChannelFrameSink.WriteMeters(meters.counter(GatewayMeters.FRAMES_SENT),
				meters.counter(GatewayMeters.DELIVERIES), fanoutTimer(meters));
		this.opened = meters.counter(GatewayMeters.CONNECTIONS_OPENED);
		this.closeCodes = new CloseCodes(meters);
		this.unwritableTime = new UnwritableTime(meters);
	}

	// 1 ms to 10 s, like the publish ack: quantiles over any set of instances, computed in Prometheus.
	private static Timer fanoutTimer(MeterRegistry meters) {
		return Timer.builder(GatewayMeters.FANOUT)
			.publishPercentileHistogram()
			.minimumExpectedValue(Duration.ofMillis(1))
			.maximumExpectedValue(Duration.ofSeconds(10))
			.register(meters);
	}

	WebSocketConnectionHandler open(Channel channel, ClientIdentity identity, ConnectionLimiter.Slot slot) {
		Executor writer = this.coalescer.writerFor(channel.eventLoop());
		WebSocketConnectionHandler handler = new WebSocketConnectionHandler(this, channel, slot);
		long now = this.nanoClock.getAsLong();
		Connection connection = new Connection(this.ids.incrementAndGet(), identity,
				new OutboundQueue(this.settings.outbound(), writer, handler::closeChannel),
				new TokenBucket(this.settings.requestRate(), this.settings.requestBurst(), this.nanoClock),
				new TokenBucket(this.settings.badInputPerMinute() / 60d, this.settings.badInputPerMinute(), this.nanoClock),
				now);
		connection.refresh(identity, this.expiringNotices.noticeAt(identity));
		handler.start(connection, new ChannelFrameSink(channel, this.writeMeters));
		this.registry.add(connection);
		this.opened.increment();
		// Also when the channel closed before its handler was in the pipeline: the slot and the
		// registry entry are given back once, whatever happened to the handshake.
		channel.closeFuture().addListener(closed -> handler.closed());
		return handler;
	}

	void closed(Connection connection) {
		this.memberships.leaveAll(connection);
		this.registry.remove(connection);
	}

	Settings settings() {
		return this.settings;
	}

	FrameDecoder decoder() {
		return this.decoder;
	}

	RequestHandler requests() {
		return this.requests;
	}

	long now() {
		return this.nanoClock.getAsLong();
	}

	MeterRegistry meters() {
		return this.meters;
	}

	EventDrops drops() {
		return this.drops;
	}

	CloseCodes closeCodes() {
		return this.closeCodes;
	}

	UnwritableTime unwritableTime() {
		return this.unwritableTime;
	}

}
