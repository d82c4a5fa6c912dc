package io.eventgateway.gateway.websocket;

import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

import io.eventgateway.gateway.GatewayApplication;
import io.eventgateway.gateway.testing.TestClient;
import io.eventgateway.gateway.testing.TestTokens;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Whatever a client sends, the connection answers each line with a reply or an {@code error} and
 * goes on handling the next valid frame. One live connection serves every try.
 */
class ConnectionHandlingProperties {

	private static final Set<String> REPLY_TYPES = Set.of("joined", "left", "ack", "event", "pong", "error");

	private static final Set<String> ERROR_CODES = Set.of("bad_request", "forbidden", "rate_limited", "too_large");

	private static final AtomicLong probes = new AtomicLong();

	private static ConfigurableApplicationContext gateway;

	private static TestClient client;

	@BeforeContainer
	static void start() {
		gateway = new SpringApplicationBuilder(GatewayApplication.class).run("--server.port=0",
				"--" + TestTokens.SECRET_PROPERTY, "--gateway.ws.bad-input-limit=1000000",
				"--gateway.ws.request-rate=1000000", "--gateway.ws.request-burst=1000000");
		int port = ((WebServerApplicationContext) gateway).getWebServer().getPort();
		client = TestClient.connect(port, TestTokens.forRooms("fuzz", "team-*"));
	}

	@AfterContainer
	static void stop() {
		client.close();
		gateway.close();
	}

	@Property(tries = 300)
	void anyTextIsAnsweredAndTheNextValidFrameStillWorks(@ForAll("frames") String frame) {
		client.send(frame);
		String ref = "probe-" + probes.incrementAndGet();
		client.send("{\"type\":\"ping\",\"ref\":\"" + ref + "\"}");
		JsonNode message;
		while (!isPong(message = client.next(), ref)) {
			String type = message.path("type").asString();
			assertThat(REPLY_TYPES).as(message.toString()).contains(type);
			if ("error".equals(type)) {
				assertThat(ERROR_CODES).as(message.toString()).contains(message.path("code").asString());
				assertThat(message.path("message").asString()).isNotBlank();
			}
		}
		assertThat(client.isClosed()).isFalse();
	}

	private static boolean isPong(JsonNode message, String ref) {
		return "pong".equals(message.path("type").asString()) && ref.equals(message.path("ref").asString());
	}

	@Provide
	Arbitrary<String> frames() {
		Arbitrary<String> anyText = Arbitraries.strings().all().ofMaxLength(300);
		Arbitrary<String> field = Arbitraries.of("type", "room", "event", "data", "ref", "since", "epoch", "volatile");
		Arbitrary<String> value = Arbitraries.oneOf(Arbitraries.of("\"join\"", "\"leave\"", "\"publish\"", "\"ping\"",
				"\"team-1\"", "\"bad room\"", "\"ops-1\"", "null", "true", "-1", "1e400", "[]", "{}", "\"\\u0000\""),
				Arbitraries.strings().ofMaxLength(80).map(s -> "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\""),
				Arbitraries.longs().map(String::valueOf));
		Arbitrary<String> member = field.flatMap(name -> value.map(v -> "\"" + name + "\":" + v));
		Arbitrary<String> jsonish = member.list().ofMaxSize(6).map(members -> "{" + String.join(",", members) + "}");
		Arbitrary<String> line = Arbitraries.oneOf(anyText, jsonish);
		return line.list().ofMinSize(1).ofMaxSize(4).map(lines -> String.join("\n", lines));
	}

}
