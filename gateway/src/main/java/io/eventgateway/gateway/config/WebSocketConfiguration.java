package io.eventgateway.gateway.config;

import java.time.Clock;
import java.time.Duration;

import io.eventgateway.core.broker.Broker;
import io.eventgateway.core.connection.Memberships;
import io.eventgateway.core.connection.OutboundLimits;
import io.eventgateway.core.connection.Recovery;
import io.eventgateway.core.publish.EventPublisher;
import io.eventgateway.core.room.Presence;
import io.eventgateway.core.room.RoomInterest;
import io.eventgateway.core.room.RoomRegistry;
import io.eventgateway.core.store.EventStore;
import io.eventgateway.core.store.RoomPositions;
import io.eventgateway.gateway.auth.TokenService;
import io.eventgateway.gateway.metrics.EventDrops;
import io.eventgateway.gateway.metrics.GatewayMeters;
import io.eventgateway.gateway.websocket.AllowedOrigins;
import io.eventgateway.gateway.websocket.ConnectionDrain;
import io.eventgateway.gateway.websocket.ConnectionLimiter;
import io.eventgateway.gateway.websocket.ConnectionRegistry;
import io.eventgateway.gateway.websocket.ExpiringNotices;
import io.eventgateway.gateway.websocket.FrameDecoder;
import io.eventgateway.gateway.websocket.HeartbeatMonitor;
import io.eventgateway.gateway.websocket.OutboundQueueSampler;
import io.eventgateway.gateway.websocket.RequestHandler;
import io.eventgateway.gateway.websocket.ServerMessages;
import io.eventgateway.gateway.websocket.TokenQueryRedaction;
import io.eventgateway.gateway.websocket.WebSocketConnections;
import io.eventgateway.gateway.websocket.WebSocketUpgradeHandler;
import io.eventgateway.gateway.websocket.WriteCoalescer;
import io.eventgateway.gateway.net.ClientAddresses;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.channel.ChannelOption;
import io.netty.channel.WriteBufferWaterMark;
import org.springframework.boot.reactor.netty.NettyServerCustomizer;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import reactor.netty.http.server.HttpServer;
import tools.jackson.databind.json.JsonMapper;

/**
 * The WebSocket endpoint: a handshake handler on the HTTP port's Netty pipeline (checks, limits,
 * upgrade), the connection pipeline behind it, and the core's memberships it drives.
 */
@Configuration(proxyBeanMethods = false)
public class WebSocketConfiguration {

	private final GatewayProperties properties;

	public WebSocketConfiguration(GatewayProperties properties) {
		this.properties = properties;
	}

	@Bean
	Clock clock() {
		return Clock.systemUTC();
	}

	/** How often every connection's queue depth is sampled into the queue distributions. */
	private static final Duration QUEUE_SAMPLE_INTERVAL = Duration.ofSeconds(1);

	@Bean
	ConnectionLimiter connectionLimiter(MeterRegistry meters) {
		GatewayProperties.WebSocket ws = this.properties.ws();
		Gauge.builder(GatewayMeters.CONNECTIONS_LIMIT, ws, GatewayProperties.WebSocket::maxConnections).register(meters);
		return new ConnectionLimiter(ws.maxConnections(), ws.maxConnectionsPerAddress(), ws.maxConnectionsPerUser());
	}

	@Bean
	RoomInterest roomInterest(RoomRegistry rooms, Broker broker) {
		return new RoomInterest(rooms, broker);
	}

	@Bean
	ConnectionRegistry connectionRegistry(MeterRegistry meters, RoomRegistry rooms) {
		ConnectionRegistry registry = new ConnectionRegistry();
		Gauge.builder(GatewayMeters.CONNECTIONS, registry, ConnectionRegistry::size).register(meters);
		Gauge.builder(GatewayMeters.ROOMS, rooms, RoomRegistry::roomCount).register(meters);
		return registry;
	}

	@Bean
	OutboundQueueSampler outboundQueueSampler(ConnectionRegistry connections, MeterRegistry meters) {
		return new OutboundQueueSampler(connections, QUEUE_SAMPLE_INTERVAL, meters);
	}

	@Bean
	EventDrops eventDrops(MeterRegistry meters) {
		return EventDrops.register(meters);
	}

	@Bean
	Memberships memberships(RoomInterest interest, Presence presence, RoomPositions positions, EventStore store,
			EventDrops drops, MeterRegistry meters) {
		GatewayProperties.History history = this.properties.history();
		Recovery recovery = new Recovery(store, history.retainEvents(), history.replayPageSize());
		FunctionCounter.builder(GatewayMeters.REPLAYED_EVENTS, recovery, Recovery::replayedEvents).register(meters);
		return new Memberships(interest, presence, positions, recovery,
				this.properties.ws().outboundMaxMessages(), drops.volatileShed()::increment);
	}

	@Bean
	RequestHandler requestHandler(Memberships memberships, EventPublisher publisher, ServerMessages messages,
			TokenService tokens, ExpiringNotices expiringNotices, Clock clock, MeterRegistry meters, EventDrops drops) {
		GatewayProperties.WebSocket ws = this.properties.ws();
		return new RequestHandler(memberships, publisher, messages,
				new RequestHandler.Limits(ws.maxRoomsPerConnection(), ws.maxPendingPublishes()), tokens, expiringNotices,
				clock, meters, drops);
	}

	/** One policy for a connection's first token and for every refreshed one. */
	@Bean
	ExpiringNotices expiringNotices() {
		return new ExpiringNotices(this.properties.ws().expiringNotice());
	}

	@Bean
	ServerMessages serverMessages(JsonMapper json) {
		return new ServerMessages(json);
	}

	@Bean
	WebSocketConnections webSocketConnections(RequestHandler requests, Memberships memberships,
			ConnectionRegistry connections, ExpiringNotices expiringNotices, JsonMapper json, MeterRegistry meters,
			EventDrops drops) {
		GatewayProperties.WebSocket ws = this.properties.ws();
		OutboundLimits outbound = new OutboundLimits(ws.outboundMaxMessages(), ws.outboundMaxSize().toBytes(),
				(int) ws.outboundFrameSize().toBytes(), ws.volatileShare());
		return new WebSocketConnections(
				new WebSocketConnections.Settings(outbound, ws.requestRate(), ws.requestBurst(), ws.badInputLimit(),
						(int) ws.maxFrameSize().toBytes(), ws.closeTimeout()),
				new FrameDecoder(json, ws.maxDataBytes(), ws.maxRequestsPerFrame()), requests, memberships, connections,
				new WriteCoalescer(ws.writeDelay()), expiringNotices, System::nanoTime, meters, drops);
	}

	@Bean
	WebSocketUpgradeHandler webSocketUpgradeHandler(TokenService tokens, ConnectionLimiter limiter,
			ClientAddresses clientAddresses, WebSocketConnections connections, JsonMapper json, MeterRegistry meters) {
		GatewayProperties.WebSocket ws = this.properties.ws();
		return new WebSocketUpgradeHandler(ws.path(), (int) ws.maxFrameSize().toBytes(), tokens, limiter,
				clientAddresses, new AllowedOrigins(ws.allowedOrigins()), connections, ws.retryAfter(), json, meters);
	}

	/**
	 * WebSocket handshakes are taken off the shared HTTP port's pipeline before WebFlux sees them;
	 * tokens are taken off the query of every other request.
	 */
	@Bean
	NettyServerCustomizer webSocketTransport(WebSocketUpgradeHandler upgrade) {
		TokenQueryRedaction redaction = new TokenQueryRedaction();
		GatewayProperties.WebSocket ws = this.properties.ws();
		WriteBufferWaterMark waterMark = new WriteBufferWaterMark((int) ws.writeBufferLowWaterMark().toBytes(),
				(int) ws.writeBufferHighWaterMark().toBytes());
		return server -> {
			HttpServer configured = server.childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, waterMark)
				.option(ChannelOption.SO_BACKLOG, ws.acceptBacklog())
				.doOnChannelInit((observer, channel, remoteAddress) -> {
					upgrade.install(channel.pipeline());
					redaction.install(channel.pipeline());
				});
			return (ws.socketSendBuffer() == null) ? configured
					: configured.childOption(ChannelOption.SO_SNDBUF, (int) ws.socketSendBuffer().toBytes());
		};
	}

	@Bean
	HeartbeatMonitor heartbeatMonitor(ConnectionRegistry connections, Clock clock, ServerMessages messages) {
		return new HeartbeatMonitor(connections, this.properties.ws().pingInterval(), this.properties.ws().idleTimeout(),
				System::nanoTime, clock, messages);
	}

	@Bean
	ConnectionDrain connectionDrain(ConnectionRegistry connections, ConnectionLimiter limiter,
			ApplicationEventPublisher events) {
		return new ConnectionDrain(connections, limiter, events, this.properties.ws().drainWindow(),
				this.properties.ws().closeTimeout());
	}

}
