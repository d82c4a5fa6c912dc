package io.eventgateway.gateway.websocket;

import org.springframework.web.reactive.socket.WebSocketHandler;
import org.springframework.web.reactive.socket.server.WebSocketService;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * Upgrades a handshake that {@link HandshakeFilter} admitted and hands its {@link Admission} to the
 * connection pipeline.
 */
public final class AdmittedWebSocketService implements WebSocketService {

	private final WebSocketService upgrade;

	private final GatewayWebSocketHandler connections;

	public AdmittedWebSocketService(WebSocketService upgrade, GatewayWebSocketHandler connections) {
		this.upgrade = upgrade;
		this.connections = connections;
	}

	@Override
	public Mono<Void> handleRequest(ServerWebExchange exchange, WebSocketHandler mapped) {
		Admission admission = exchange.getAttribute(Admission.ATTRIBUTE);
		if (admission == null) {
			return Mono.error(new IllegalStateException("WebSocket handshake reached the upgrade without admission"));
		}
		return this.upgrade.handleRequest(exchange, session -> this.connections.handle(session, admission));
	}

}
