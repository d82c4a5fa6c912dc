package io.eventgateway.gateway.websocket;

import java.time.Duration;

import io.eventgateway.gateway.http.Problems;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import tools.jackson.databind.ObjectMapper;

/**
 * Why a handshake is answered without an upgrade, written as an RFC 9457 problem. The connection is
 * closed after the answer: a refused client comes back on a new one.
 */
enum HandshakeRefusal {

	UNAUTHORIZED(HttpResponseStatus.UNAUTHORIZED, "unauthorized", "unauthorized"),

	ADDRESS_LIMIT(HttpResponseStatus.TOO_MANY_REQUESTS, "too-many-connections", "address_limit"),

	USER_LIMIT(HttpResponseStatus.TOO_MANY_REQUESTS, "too-many-connections", "user_limit"),

	FULL(HttpResponseStatus.SERVICE_UNAVAILABLE, "server-full", "full"),

	DRAINING(HttpResponseStatus.SERVICE_UNAVAILABLE, "draining", "draining"),

	ORIGIN_NOT_ALLOWED(HttpResponseStatus.FORBIDDEN, "origin-not-allowed", "origin"),

	METHOD_NOT_ALLOWED(HttpResponseStatus.METHOD_NOT_ALLOWED, "method-not-allowed", "method"),

	NOT_A_WEBSOCKET(HttpResponseStatus.BAD_REQUEST, "not-a-websocket-handshake", "bad_handshake"),

	UNSUPPORTED_VERSION(HttpResponseStatus.UPGRADE_REQUIRED, "unsupported-websocket-version", "bad_handshake");

	private final HttpResponseStatus status;

	private final String type;

	private final String meterReason;

	HandshakeRefusal(HttpResponseStatus status, String type, String meterReason) {
		this.status = status;
		this.type = type;
		this.meterReason = meterReason;
	}

	/** The {@code reason} tag of the refusal meter. */
	String meterReason() {
		return this.meterReason;
	}

	/** Answers the handshake with this refusal and closes the connection once it is written. */
	void send(ChannelHandlerContext context, String path, String detail, Duration retryAfter, ObjectMapper json) {
		byte[] body = json.writeValueAsBytes(json.createObjectNode()
			.put("type", Problems.type(this.type))
			.put("title", this.status.reasonPhrase())
			.put("status", this.status.code())
			.put("detail", detail)
			.put("instance", path));
		FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, this.status,
				Unpooled.wrappedBuffer(body));
		response.headers()
			.set(HttpHeaderNames.CONTENT_TYPE, "application/problem+json")
			.setInt(HttpHeaderNames.CONTENT_LENGTH, body.length)
			.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
		switch (this) {
			case UNAUTHORIZED -> response.headers().set(HttpHeaderNames.WWW_AUTHENTICATE, "Bearer");
			case ADDRESS_LIMIT, USER_LIMIT, FULL, DRAINING -> response.headers()
				.set(HttpHeaderNames.RETRY_AFTER, String.valueOf(Math.max(1, retryAfter.toSeconds())));
			case METHOD_NOT_ALLOWED -> response.headers().set(HttpHeaderNames.ALLOW, "GET");
			case UNSUPPORTED_VERSION -> response.headers().set(HttpHeaderNames.SEC_WEBSOCKET_VERSION, "13");
			default -> {
			}
		}
		// Written from this handler towards the socket: the HTTP handlers behind it never saw the request.
		context.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
	}

}
