package io.eventgateway.gateway.testing;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The test client never skips what it cannot read: a frame that is not JSON fails the test with its text. */
class TestClientTests {

	@Test
	void aFrameThatIsNotJsonFailsTheNextReadAndTheCloseWithItsText() {
		DisposableServer server = HttpServer.create()
			.host("127.0.0.1")
			.port(0)
			.route(routes -> routes.ws("/ws", (in, out) -> out.sendString(Mono.just("{\"type\":\"pong\"}\n{\"type\":"))
				.then(in.receive().then())))
			.bindNow();
		try {
			TestClient client = TestClient.connect(server.port(), "token");
			assertThatThrownBy(() -> client.nextOfType("event")).isInstanceOf(AssertionError.class)
				.hasMessageContaining("not JSON")
				.hasMessageContaining("{\"type\":\"pong\"}\n{\"type\":");
			assertThatThrownBy(client::close).isInstanceOf(AssertionError.class).hasMessageContaining("{\"type\":");
		}
		finally {
			server.disposeNow(Duration.ofSeconds(5));
		}
	}

	@Test
	void everyMessageCarriesTheTimeItCameOffTheSocket() {
		DisposableServer server = HttpServer.create()
			.host("127.0.0.1")
			.port(0)
			.route(routes -> routes.ws("/ws", (in, out) -> out.sendString(Mono.just("{\"type\":\"pong\"}"))
				.then(in.receive().then())))
			.bindNow();
		long before = System.nanoTime();
		try (TestClient client = TestClient.connect(server.port(), "token")) {
			TestClient.Received received = client.nextReceived(message -> true, Duration.ofSeconds(5));
			assertThat(received.message().path("type").asString()).isEqualTo("pong");
			assertThat(received.atNanos()).isBetween(before, System.nanoTime());
		}
		finally {
			server.disposeNow(Duration.ofSeconds(5));
		}
	}

}
