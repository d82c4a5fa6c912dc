package io.eventgateway.gateway.net;

import java.time.Duration;

import io.eventgateway.gateway.testing.TestTokens;
import io.eventgateway.gateway.websocket.ConnectionLimiter;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The per-address connection limit keys a client by the address a trusted proxy saw, and by nothing
 * a client can claim for itself.
 */
class ClientAddressIntegrationTests {

	private static final String TOKEN = TestTokens.forRooms("u", "team-*");

	/** What each gateway below is reached by and waits for between tests. */
	abstract static class OneGateway {

		@LocalServerPort
		int port;

		@Autowired
		ConnectionLimiter limiter;

		@BeforeEach
		void everyEarlierConnectionIsGone() {
			await().atMost(Duration.ofSeconds(10)).until(() -> this.limiter.total() == 0);
		}

	}

	@Nested
	@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
			properties = { TestTokens.SECRET_PROPERTY, "gateway.ws.max-connections-per-address=2",
					"gateway.client-address.trusted-proxies=127.0.0.1" })
	class BehindATrustedProxy extends OneGateway {

		@Test
		void aClientThatIsNoTrustedProxyCannotEscapeItsLimitWithAForgedHeader() throws Exception {
			try (RawHandshake first = RawHandshake.open("127.0.0.2", this.port, null, "203.0.113.1", TOKEN);
					RawHandshake second = RawHandshake.open("127.0.0.2", this.port, null, "203.0.113.2", TOKEN);
					RawHandshake third = RawHandshake.open("127.0.0.2", this.port, null, "203.0.113.3", TOKEN)) {
				assertThat(first.status()).isEqualTo(101);
				assertThat(second.status()).isEqualTo(101);
				assertThat(third.status()).isEqualTo(429);
			}
		}

		@Test
		void theTrustedProxysHopNamesTheClient() throws Exception {
			try (RawHandshake first = RawHandshake.open("127.0.0.1", this.port, null, "203.0.113.1", TOKEN);
					RawHandshake second = RawHandshake.open("127.0.0.1", this.port, null, "9.9.9.9, 203.0.113.1", TOKEN);
					RawHandshake third = RawHandshake.open("127.0.0.1", this.port, null, "203.0.113.1", TOKEN);
					RawHandshake other = RawHandshake.open("127.0.0.1", this.port, null, "203.0.113.2", TOKEN)) {
				assertThat(first.status()).isEqualTo(101);
				assertThat(second.status()).as("what the client wrote left of the proxy's hop is not read").isEqualTo(101);
				assertThat(third.status()).isEqualTo(429);
				assertThat(other.status()).isEqualTo(101);
			}
		}

	}

	@Nested
	@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
			properties = { TestTokens.SECRET_PROPERTY, "gateway.ws.max-connections-per-address=1",
					"gateway.client-address.proxy-protocol=true" })
	class BehindHaproxy extends OneGateway {

		@Test
		void theProxyProtocolSourceIsTheClient() throws Exception {
			String fromA = "PROXY TCP4 198.51.100.7 127.0.0.1 51000 8080";
			String fromB = "PROXY TCP6 2001:db8:1:2::7 ::1 51001 8080";
			String fromBsBlock = "PROXY TCP6 2001:db8:1:2::8 ::1 51002 8080";
			try (RawHandshake a = RawHandshake.open("127.0.0.1", this.port, fromA, null, TOKEN);
					RawHandshake againA = RawHandshake.open("127.0.0.1", this.port, fromA, null, TOKEN);
					RawHandshake b = RawHandshake.open("127.0.0.1", this.port, fromB, null, TOKEN);
					RawHandshake sameBlock = RawHandshake.open("127.0.0.1", this.port, fromBsBlock, null, TOKEN)) {
				assertThat(a.status()).isEqualTo(101);
				assertThat(againA.status()).isEqualTo(429);
				assertThat(b.status()).isEqualTo(101);
				assertThat(sameBlock.status()).as("one /64 is one client").isEqualTo(429);
			}
		}

	}

}
