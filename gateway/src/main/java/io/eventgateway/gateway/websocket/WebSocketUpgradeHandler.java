package io.eventgateway.gateway.websocket;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import io.eventgateway.core.auth.ClientIdentity;
import io.eventgateway.gateway.auth.InvalidTokenException;
import io.eventgateway.gateway.auth.TokenService;
import io.eventgateway.gateway.metrics.GatewayMeters;
import io.eventgateway.gateway.net.ClientAddresses;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshakerFactory;
import io.netty.util.AttributeKey;
import io.netty.util.ReferenceCountUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.netty.NettyPipeline;
import reactor.netty.channel.ChannelOperations;
import tools.jackson.databind.ObjectMapper;

/**
 * Takes WebSocket handshakes off the HTTP pipeline of the shared port, before Reactor Netty's HTTP
 * handling and WebFlux see them: the bearer token (401) and the connection limits (503, 429 with
 * {@code Retry-After}) are checked before the upgrade; an admitted connection gets a pipeline of its
 * own (the WebSocket codec and {@link WebSocketConnectionHandler}) and keeps nothing of the upgrade
 * request. Every other request passes through untouched.
 */
@ChannelHandler.Sharable
public final class WebSocketUpgradeHandler extends ChannelInboundHandlerAdapter {

	/** Its name in the pipeline, right behind the HTTP codec. */
	public static final String NAME = "gateway.websocketUpgrade";

	/** The subprotocol a client may ask for; it is selected when asked for. */
	static final String SUBPROTOCOL = "events.v1";

	/** A subprotocol entry that carries the bearer token, for browsers that cannot set headers. */
	static final String TOKEN_SUBPROTOCOL_PREFIX = "bearer.";

	private static final Logger logger = LoggerFactory.getLogger(WebSocketUpgradeHandler.class);

	private static final String BEARER = "Bearer ";

	/** Marks a channel whose handshake request this handler took. */
	private static final AttributeKey<Boolean> HANDSHAKING = AttributeKey.valueOf(WebSocketUpgradeHandler.class, "handshaking");

	/** How many milliseconds a handshake waits for the previous request on its connection to finish. */
	private static final int PREVIOUS_REQUEST_WAITS = 100;

	private final String path;

	private final TokenService tokens;

	private final ConnectionLimiter limiter;

	private final ClientAddresses clients;

	private final AllowedOrigins origins;

	private final WebSocketConnections connections;

	private final Duration retryAfter;

	private final ObjectMapper json;

	private final MeterRegistry meters;

	private final WebSocketServerHandshakerFactory handshakers;

	public WebSocketUpgradeHandler(String path, int maxFramePayload, TokenService tokens, ConnectionLimiter limiter,
			ClientAddresses clients, AllowedOrigins origins, WebSocketConnections connections, Duration retryAfter, ObjectMapper json, MeterRegistry meters) {
		this.path = path;
		this.tokens = tokens;
		this.limiter = limiter;
		this.clients = clients;
		this.origins = origins;
		this.connections = connections;
		this.retryAfter = retryAfter;
		this.json = json;
		this.meters = meters;
		this.handshakers = new WebSocketServerHandshakerFactory(path, SUBPROTOCOL, WebSocketDecoderConfig.newBuilder()
			.maxFramePayloadLength(maxFramePayload)
			.allowExtensions(false)
			.expectMaskedFrames(true)
			.closeOnProtocolViolation(true)
			.build());
	}

	/** Puts the handler behind the HTTP codec of a new channel; channels without one are left alone. */
	public void install(ChannelPipeline pipeline) {
		if (pipeline.get(NettyPipeline.HttpCodec) != null) {
			pipeline.addAfter(NettyPipeline.HttpCodec, NAME, this);
		}
	}

	@Override
	public void channelRead(ChannelHandlerContext context, Object message) {
		// A request not read whole (a head over the limit) passes on: Reactor Netty answers it, 431 or
		// 400, and closes. Its first headers must not be taken for a handshake.
		if (message instanceof HttpRequest request && isWebSocketPath(request.uri())
				&& request.decoderResult().isSuccess()) {
			admit(context, request, 0);
			return;
		}
		if (message instanceof HttpContent && context.channel().hasAttr(HANDSHAKING)) {
			// The rest of a handshake request (it has no body): the HTTP handlers never saw its start.
			ReferenceCountUtil.release(message);
			return;
		}
		context.fireChannelRead(message);
	}

	/**
	 * A client may reuse a keep-alive connection for its handshake as soon as it has read the answer to
	 * its previous request; the server finishes that request a moment later, on this event loop.
	 */
	private void admit(ChannelHandlerContext context, HttpRequest request, int attempt) {
		if (ChannelOperations.get(context.channel()) != null && attempt < PREVIOUS_REQUEST_WAITS) {
			// Only such a handshake marks its channel: the end of its request must not reach that request.
			context.channel().attr(HANDSHAKING).set(Boolean.TRUE);
			context.executor().schedule(() -> admit(context, request, attempt + 1), 1, TimeUnit.MILLISECONDS);
			return;
		}
		try {
			if (!context.channel().isActive()) {
				// Closed while it waited: nothing to admit, no slot to take.
				return;
			}
			if (ChannelOperations.get(context.channel()) != null) {
				// The previous answer is still being written: an answer of ours would run into it.
				context.channel().close();
				return;
			}
			handshake(context, request);
		}
		catch (RuntimeException ex) {
			// The request line carries the token in its query: the error is not logged with it.
			logger.debug("handshake failed: {}", ex.getClass().getName());
			refuse(context, HandshakeRefusal.NOT_A_WEBSOCKET, "the handshake could not be read");
		}
		finally {
			ReferenceCountUtil.release(request);
		}
	}

	private boolean isWebSocketPath(String uri) {
		int end = uri.length();
		int query = uri.indexOf('?');
		if (query >= 0) {
			end = query;
		}
		return end == this.path.length() && uri.startsWith(this.path);
	}

	private void handshake(ChannelHandlerContext context, HttpRequest request) {
		ClientIdentity identity;
		try {
			identity = this.tokens.verify(bearerToken(request));
		}
		catch (InvalidTokenException ex) {
			refuse(context, HandshakeRefusal.UNAUTHORIZED, ex.getMessage());
			return;
		}
		String origin = request.headers().get(HttpHeaderNames.ORIGIN);
		if (!this.origins.allows(origin, request.headers().get(HttpHeaderNames.HOST))) {
			refuse(context, HandshakeRefusal.ORIGIN_NOT_ALLOWED, "pages of this origin may not connect");
			return;
		}
		if (!HttpMethod.GET.equals(request.method())) {
			refuse(context, HandshakeRefusal.METHOD_NOT_ALLOWED, "a WebSocket handshake is a GET request");
			return;
		}
		if (!request.headers().containsValue(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET, true)
				|| !request.headers().containsValue(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE, true)
				|| !request.headers().contains(HttpHeaderNames.SEC_WEBSOCKET_KEY)) {
			refuse(context, HandshakeRefusal.NOT_A_WEBSOCKET,
					"expected a WebSocket upgrade (Upgrade: websocket, Connection: Upgrade, Sec-WebSocket-Key)");
			return;
		}
		FullHttpRequest upgrade = new DefaultFullHttpRequest(request.protocolVersion(), request.method(), request.uri(),
				Unpooled.EMPTY_BUFFER, withoutTokenProtocols(request.headers()), EmptyHttpHeaders.INSTANCE);
		WebSocketServerHandshaker handshaker = this.handshakers.newHandshaker(upgrade);
		if (handshaker == null) {
			refuse(context, HandshakeRefusal.UNSUPPORTED_VERSION, "only WebSocket version 13 is supported");
			return;
		}
		ConnectionLimiter.Admission admission = this.limiter.tryAcquire(this.clients.keyOf(ClientAddresses.peerOf(context.channel()),
				request.headers().getAll(ClientAddresses.FORWARDED_FOR)), identity.user());
		if (admission.refusal() != null) {
			switch (admission.refusal()) {
				case ADDRESS_LIMIT -> refuse(context, HandshakeRefusal.ADDRESS_LIMIT, "too many connections from this address");
				case USER_LIMIT -> refuse(context, HandshakeRefusal.USER_LIMIT, "too many connections of this user");
				case FULL -> refuse(context, HandshakeRefusal.FULL, "the server holds its maximum of connections");
				case DRAINING -> refuse(context, HandshakeRefusal.DRAINING,
						"the server is shutting down; connect to another instance");
			}
			return;
		}
		ChannelPipeline pipeline = context.pipeline();
		leaveHttp(pipeline);
		WebSocketConnectionHandler connection = this.connections.open(context.channel(), identity, admission.slot());
		pipeline.addLast(WebSocketConnectionHandler.NAME, connection);
		pipeline.remove(this);
		try {
			handshaker.handshake(context.channel(), upgrade).addListener(done -> {
				if (!done.isSuccess()) {
					context.channel().close();
				}
			});
		}
		catch (RuntimeException ex) {
			// The headers were checked above; the connection handler releases the slot on close.
			context.channel().close();
		}
	}

	/**
	 * Removes what serves HTTP requests behind the codec (Reactor Netty's traffic handler and bridge
	 * to WebFlux) and the HTTP timeouts; the codec itself is replaced by the handshake.
	 */
	private void leaveHttp(ChannelPipeline pipeline) {
		List<String> names = pipeline.names();
		boolean behindCodec = false;
		for (String name : names) {
			if (name.equals(NettyPipeline.HttpCodec)) {
				behindCodec = true;
			}
			else if (name.equals(NettyPipeline.IdleTimeoutHandler) || name.equals(NettyPipeline.ReadTimeoutHandler)
					|| (behindCodec && !name.equals(NAME) && pipeline.get(name) != null)) {
				pipeline.remove(name);
			}
		}
	}

	private void refuse(ChannelHandlerContext context, HandshakeRefusal refusal, String detail) {
		this.meters.counter(GatewayMeters.CONNECTIONS_REFUSED, "reason", refusal.meterReason()).increment();
		refusal.send(context, this.path, detail, this.retryAfter, this.json);
	}

	/**
	 * The headers the handshake answers from, without the subprotocol entries that carry a token:
	 * the codec would otherwise name them in its log when none of the offered protocols is ours.
	 */
	private static HttpHeaders withoutTokenProtocols(HttpHeaders headers) {
		String protocols = headers.get(HttpHeaderNames.SEC_WEBSOCKET_PROTOCOL);
		if (protocols == null || !protocols.contains(TOKEN_SUBPROTOCOL_PREFIX)) {
			return headers;
		}
		String kept = Arrays.stream(protocols.split(","))
			.map(String::trim)
			.filter(protocol -> !protocol.startsWith(TOKEN_SUBPROTOCOL_PREFIX))
			.collect(Collectors.joining(","));
		HttpHeaders copy = headers.copy();
		if (kept.isEmpty()) {
			copy.remove(HttpHeaderNames.SEC_WEBSOCKET_PROTOCOL);
		}
		else {
			copy.set(HttpHeaderNames.SEC_WEBSOCKET_PROTOCOL, kept);
		}
		return copy;
	}

	private static String bearerToken(HttpRequest request) {
		String header = request.headers().get(HttpHeaderNames.AUTHORIZATION);
		if (header != null && header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
			return header.substring(BEARER.length()).trim();
		}
		String protocols = request.headers().get(HttpHeaderNames.SEC_WEBSOCKET_PROTOCOL);
		if (protocols != null) {
			for (String protocol : protocols.split(",")) {
				String candidate = protocol.trim();
				if (candidate.startsWith(TOKEN_SUBPROTOCOL_PREFIX)) {
					return candidate.substring(TOKEN_SUBPROTOCOL_PREFIX.length());
				}
			}
		}
		List<String> query;
		try {
			query = new QueryStringDecoder(request.uri()).parameters().get("token");
		}
		catch (IllegalArgumentException ex) {
			// A malformed query: no token can be read from it (and its message would quote it).
			return null;
		}
		return (query == null || query.isEmpty()) ? null : query.get(0);
	}

}
