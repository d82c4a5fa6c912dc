package io.eventgateway.gateway.config;

import java.time.Clock;
import java.util.Map;

import io.eventgateway.core.broker.Broker;
import io.eventgateway.core.connection.OutboundLimits;
import io.eventgateway.core.publish.EventPublisher;
import io.eventgateway.core.room.Presence;
import io.eventgateway.core.room.RoomRegistry;
import io.eventgateway.core.store.EventStore;
import io.eventgateway.gateway.auth.TokenService;
import io.eventgateway.gateway.metrics.GatewayMeters;
import io.eventgateway.gateway.websocket.AdmittedWebSocketService;
import io.eventgateway.gateway.websocket.ConnectionDrain;
import io.eventgateway.gateway.websocket.ConnectionLimiter;
import io.eventgateway.gateway.websocket.ConnectionRegistry;
import io.eventgateway.gateway.websocket.FrameDecoder;
import io.eventgateway.gateway.websocket.GatewayWebSocketHandler;
import io.eventgateway.gateway.websocket.HandshakeFilter;
import io.eventgateway.gateway.websocket.HeartbeatMonitor;
import io.eventgateway.gateway.websocket.RequestHandler;
import io.eventgateway.gateway.websocket.ServerMessages;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.reactive.HandlerMapping;
import org.springframework.web.reactive.config.WebFluxConfigurer;
import org.springframework.web.reactive.handler.SimpleUrlHandlerMapping;
import org.springframework.web.reactive.socket.server.WebSocketService;
import org.springframework.web.reactive.socket.server.support.HandshakeWebSocketService;
import org.springframework.web.reactive.socket.server.upgrade.ReactorNettyRequestUpgradeStrategy;
import reactor.netty.http.server.WebsocketServerSpec;
import tools.jackson.databind.json.JsonMapper;

/** The WebSocket endpoint: handshake checks, transport limits, and the connection pipeline. */
@Configuration(proxyBeanMethods = false)
public class WebSocketConfiguration implements WebFluxConfigurer {

	private final GatewayProperties properties;

	public WebSocketConfiguration(GatewayProperties properties, ObjectProvider<GatewayWebSocketHandler> handler) {
		this.properties = properties;
		this.handler = handler;
	}

	private final ObjectProvider<GatewayWebSocketHandler> handler;

	@Override
	public WebSocketService getWebSocketService() {
		int maxFrame = (int) this.properties.ws().maxFrameSize().toBytes();
		HandshakeWebSocketService upgrade = new HandshakeWebSocketService(new ReactorNettyRequestUpgradeStrategy(
				() -> WebsocketServerSpec.builder().maxFramePayloadLength(maxFrame).handlePing(false)));
		return new AdmittedWebSocketService(upgrade, this.handler.getObject());
	}

	@Bean
	Clock clock() {
		return Clock.systemUTC();
	}

	@Bean
	ConnectionLimiter connectionLimiter() {
		return new ConnectionLimiter(this.properties.ws().maxConnections(), this.properties.ws().maxConnectionsPerAddress());
	}

	@Bean
	ConnectionRegistry connectionRegistry(MeterRegistry meters, RoomRegistry rooms) {
		ConnectionRegistry registry = new ConnectionRegistry();
		Gauge.builder(GatewayMeters.CONNECTIONS, registry, ConnectionRegistry::size).register(meters);
		Gauge.builder(GatewayMeters.ROOMS, rooms, RoomRegistry::roomCount).register(meters);
		return registry;
	}

	@Bean
	HandshakeFilter handshakeFilter(TokenService tokens, ConnectionLimiter limiter, JsonMapper json,
			MeterRegistry meters) {
		return new HandshakeFilter(this.properties.ws().path(), tokens, limiter, this.properties.ws().retryAfter(),
				json, meters);
	}

	@Bean
	RequestHandler requestHandler(RoomRegistry rooms, Presence presence, Broker broker, EventStore store,
			EventPublisher publisher, JsonMapper json, Clock clock, MeterRegistry meters) {
		GatewayProperties.WebSocket ws = this.properties.ws();
		GatewayProperties.History history = this.properties.history();
		return new RequestHandler(rooms, presence, broker, store, publisher, new ServerMessages(json),
				new RequestHandler.Limits(ws.maxRoomsPerConnection(), ws.maxPendingPublishes(), history.retainEvents(),
						history.replayPageSize(), ws.outboundMaxMessages()),
				clock, meters);
	}

	@Bean
	GatewayWebSocketHandler gatewayWebSocketHandler(RequestHandler requests, ConnectionRegistry connections,
			JsonMapper json, MeterRegistry meters) {
		GatewayProperties.WebSocket ws = this.properties.ws();
		OutboundLimits outbound = new OutboundLimits(ws.outboundMaxMessages(), ws.outboundMaxSize().toBytes(),
				(int) ws.outboundFrameSize().toBytes(), ws.volatileShare());
		return new GatewayWebSocketHandler(new FrameDecoder(json, (int) ws.maxDataSize().toBytes()), requests,
				connections, new GatewayWebSocketHandler.Settings(outbound, ws.publishRate(), ws.publishBurst(),
						ws.badInputLimit(), ws.closeTimeout(), ws.writeDelay()),
				System::nanoTime, meters);
	}

	@Bean
	HandlerMapping webSocketMapping(GatewayWebSocketHandler handler) {
		return new SimpleUrlHandlerMapping(Map.of(this.properties.ws().path(), handler), -1);
	}

	@Bean
	HeartbeatMonitor heartbeatMonitor(ConnectionRegistry connections, Clock clock) {
		return new HeartbeatMonitor(connections, this.properties.ws().pingInterval(), this.properties.ws().idleTimeout(),
				System::nanoTime, clock);
	}

	@Bean
	ConnectionDrain connectionDrain(ConnectionRegistry connections, ConnectionLimiter limiter) {
		return new ConnectionDrain(connections, limiter, this.properties.ws().closeTimeout());
	}

}
