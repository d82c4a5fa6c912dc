package io.eventgateway.gateway.websocket;

import java.net.InetSocketAddress;
import java.time.Duration;

import io.eventgateway.gateway.auth.ClientIdentity;
import io.eventgateway.gateway.auth.InvalidTokenException;
import io.eventgateway.gateway.auth.TokenService;
import io.eventgateway.gateway.http.Problems;
import io.eventgateway.gateway.metrics.GatewayMeters;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.core.Ordered;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import io.netty.channel.Channel;
import reactor.core.publisher.Mono;
import reactor.netty.http.server.HttpServerRequest;
import tools.jackson.databind.ObjectMapper;

/**
 * Everything decided before a WebSocket upgrade: the bearer token (401), the connection limits (503
 * or 429 with {@code Retry-After}). An admitted handshake carries its identity and its connection
 * slot to the upgrade as an exchange attribute ({@link Admission}).
 */
public final class HandshakeFilter implements WebFilter, Ordered {

	private static final String BEARER = "Bearer ";

	private final String path;

	private final TokenService tokens;

	private final ConnectionLimiter limiter;

	private final Duration retryAfter;

	private final ObjectMapper json;

	private final MeterRegistry meters;

	public HandshakeFilter(String path, TokenService tokens, ConnectionLimiter limiter, Duration retryAfter,
			ObjectMapper json, MeterRegistry meters) {
		this.path = path;
		this.tokens = tokens;
		this.limiter = limiter;
		this.retryAfter = retryAfter;
		this.json = json;
		this.meters = meters;
	}

	@Override
	public int getOrder() {
		return Ordered.HIGHEST_PRECEDENCE;
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
		if (!this.path.equals(exchange.getRequest().getPath().value())) {
			return chain.filter(exchange);
		}
		ClientIdentity identity;
		try {
			identity = this.tokens.verify(bearerToken(exchange));
		}
		catch (InvalidTokenException ex) {
			return refuse(exchange, HttpStatus.UNAUTHORIZED, "unauthorized", ex.getMessage(), "unauthorized");
		}
		ConnectionLimiter.Admission admission = this.limiter.tryAcquire(clientAddress(exchange));
		if (admission.refusal() != null) {
			return switch (admission.refusal()) {
				case ADDRESS_LIMIT -> refuse(exchange, HttpStatus.TOO_MANY_REQUESTS, "too-many-connections",
						"too many connections from this address", "address_limit");
				case FULL -> refuse(exchange, HttpStatus.SERVICE_UNAVAILABLE, "server-full",
						"the server holds its maximum of connections", "full");
				case DRAINING -> refuse(exchange, HttpStatus.SERVICE_UNAVAILABLE, "draining",
						"the server is shutting down; connect to another instance", "draining");
			};
		}
		ConnectionLimiter.Slot slot = admission.slot();
		exchange.getAttributes().put(Admission.ATTRIBUTE, new Admission(identity, slot, channelOf(exchange)));
		// The handler releases the slot when the connection ends; this covers a failed upgrade.
		return chain.filter(exchange).doOnError(error -> slot.release()).doOnCancel(slot::release);
	}

	private static String bearerToken(ServerWebExchange exchange) {
		String header = exchange.getRequest().getHeaders().getFirst(HttpHeaders.AUTHORIZATION);
		if (header != null && header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
			return header.substring(BEARER.length()).trim();
		}
		return exchange.getRequest().getQueryParams().getFirst("token");
	}

	private static Channel channelOf(ServerWebExchange exchange) {
		Object request = ServerHttpRequestDecorator.getNativeRequest(exchange.getRequest());
		if (request instanceof HttpServerRequest netty) {
			Channel[] found = new Channel[1];
			netty.withConnection(connection -> found[0] = connection.channel());
			return found[0];
		}
		return null;
	}

	private static String clientAddress(ServerWebExchange exchange) {
		InetSocketAddress remote = exchange.getRequest().getRemoteAddress();
		if (remote == null) {
			return "unknown";
		}
		return remote.getAddress() != null ? remote.getAddress().getHostAddress() : remote.getHostString();
	}

	private Mono<Void> refuse(ServerWebExchange exchange, HttpStatus status, String type, String detail,
			String reason) {
		this.meters.counter(GatewayMeters.CONNECTIONS_REFUSED, "reason", reason).increment();
		ServerHttpResponse response = exchange.getResponse();
		response.setStatusCode(status);
		response.getHeaders().setContentType(MediaType.APPLICATION_PROBLEM_JSON);
		if (status != HttpStatus.UNAUTHORIZED) {
			response.getHeaders().set(HttpHeaders.RETRY_AFTER, String.valueOf(Math.max(1, this.retryAfter.toSeconds())));
		}
		else {
			response.getHeaders().set(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
		}
		byte[] body = this.json.writeValueAsBytes(this.json.createObjectNode()
			.put("type", Problems.type(type))
			.put("title", status.getReasonPhrase())
			.put("status", status.value())
			.put("detail", detail)
			.put("instance", exchange.getRequest().getPath().value()));
		DataBuffer buffer = response.bufferFactory().wrap(body);
		return response.writeWith(Mono.just(buffer));
	}

}
