package io.eventgateway.gateway.websocket;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.QueryStringDecoder;

/**
 * Removes bearer tokens from the query of every request that is not a WebSocket handshake before the
 * HTTP handlers see it: error handlers, request logging and access logs format the request line, and
 * only the handshake reads a token from the query (the HTTP API takes it from the Authorization
 * header).
 */
@ChannelHandler.Sharable
public final class TokenQueryRedaction extends ChannelInboundHandlerAdapter {

	/** Its name in the pipeline, right behind {@link WebSocketUpgradeHandler}. */
	public static final String NAME = "gateway.tokenQueryRedaction";

	/** Puts the handler behind the handshake handler of a new channel, which alone reads the token. */
	public void install(ChannelPipeline pipeline) {
		if (pipeline.get(WebSocketUpgradeHandler.NAME) != null) {
			pipeline.addAfter(WebSocketUpgradeHandler.NAME, NAME, this);
		}
	}

	@Override
	public void channelRead(ChannelHandlerContext context, Object message) {
		if (message instanceof HttpRequest request) {
			request.setUri(withoutTokens(request.uri()));
		}
		context.fireChannelRead(message);
	}

	/** The URI without its {@code token} and {@code access_token} parameters, others kept in order. */
	static String withoutTokens(String uri) {
		int query = uri.indexOf('?');
		if (query < 0 || !mayHoldToken(uri, query)) {
			return uri;
		}
		StringBuilder kept = new StringBuilder(uri.length()).append(uri, 0, query);
		char separator = '?';
		for (String parameter : uri.substring(query + 1).split("&", -1)) {
			if (parameter.isEmpty() || isToken(parameter)) {
				continue;
			}
			kept.append(separator).append(parameter);
			separator = '&';
		}
		return kept.toString();
	}

	/**
	 * A test without allocation for the common case (no token anywhere in the query). An encoded
	 * name ({@code %74oken}) is looked at closely too.
	 */
	private static boolean mayHoldToken(String uri, int query) {
		for (int i = query + 1; i < uri.length(); i++) {
			char c = uri.charAt(i);
			if (c == '%' || uri.regionMatches(true, i, "token", 0, 5)) {
				return true;
			}
		}
		return false;
	}

	private static boolean isToken(String parameter) {
		int equals = parameter.indexOf('=');
		String name = (equals < 0) ? parameter : parameter.substring(0, equals);
		try {
			name = QueryStringDecoder.decodeComponent(name);
		}
		catch (IllegalArgumentException ex) {
			// A name that cannot be decoded cannot be told apart from a token's: it goes too.
			return true;
		}
		return name.equalsIgnoreCase("token") || name.equalsIgnoreCase("access_token");
	}

}
