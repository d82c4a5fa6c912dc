package io.eventgateway.gateway.client;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.eventgateway.core.connection.CloseReason;
import io.eventgateway.core.connection.Connection;
import io.eventgateway.gateway.testing.GatewayInstance;
import io.eventgateway.gateway.websocket.ConnectionRegistry;

/**
 * What a JavaScript test cannot do from outside a gateway: have the server close every connection
 * (through the gateway's own close path, with a real close code). Loopback only, on its own port.
 */
final class GatewayControl implements AutoCloseable {

	private final HttpServer server;

	private GatewayControl(HttpServer server) {
		this.server = server;
	}

	static GatewayControl start(List<GatewayInstance> gateways) throws IOException {
		HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
		server.createContext("/connections/close", exchange -> closeAll(exchange, gateways));
		server.start();
		return new GatewayControl(server);
	}

	String url() {
		return "http://127.0.0.1:" + this.server.getAddress().getPort();
	}

	private static void closeAll(HttpExchange exchange, List<GatewayInstance> gateways) throws IOException {
		String query = exchange.getRequestURI().getQuery();
		CloseReason reason = CloseReason.valueOf(query.replaceFirst("^reason=", ""));
		int closed = 0;
		for (GatewayInstance gateway : gateways) {
			for (Connection connection : List.copyOf(gateway.bean(ConnectionRegistry.class).all())) {
				connection.close(reason);
				closed++;
			}
		}
		byte[] body = Integer.toString(closed).getBytes(StandardCharsets.US_ASCII);
		exchange.sendResponseHeaders(200, body.length);
		try (OutputStream out = exchange.getResponseBody()) {
			out.write(body);
		}
	}

	@Override
	public void close() {
		this.server.stop(0);
	}

}
