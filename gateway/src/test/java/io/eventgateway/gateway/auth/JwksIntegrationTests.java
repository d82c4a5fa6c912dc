package io.eventgateway.gateway.auth;

import java.time.Instant;
import java.util.Date;
import java.util.List;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import io.eventgateway.gateway.testing.GatewayInstance;
import io.eventgateway.gateway.testing.HttpCall;
import io.eventgateway.gateway.testing.TestClient;
import io.eventgateway.gateway.testing.TestIdentityProvider;
import io.eventgateway.gateway.testing.TestTokens;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/** A gateway configured with a JWKS URL takes RS256 and ES256 tokens at the handshake and on the HTTP API. */
class JwksIntegrationTests {

	private static final RSAKey RSA = TestIdentityProvider.rsaKey("rsa-1");

	private static final ECKey EC = TestIdentityProvider.ecKey("ec-1");

	private static JWTClaimsSet claims(String user, String... rooms) {
		return new JWTClaimsSet.Builder().subject(user).issueTime(new Date())
			.expirationTime(Date.from(Instant.now().plusSeconds(600))).claim("rooms", List.of(rooms)).build();
	}

	@Test
	void anRs256TokenOpensAWebSocketAndAnEs256TokenReadsHistory() {
		try (TestIdentityProvider provider = TestIdentityProvider.start(RSA, EC);
				GatewayInstance gateway = GatewayInstance.start("gateway.auth.jwks-url=" + provider.jwksUrl())) {
			String rs256 = TestIdentityProvider.sign(RSA, JWSAlgorithm.RS256, claims("alice", "team-*"));
			try (TestClient client = TestClient.connect(gateway.port(), rs256)) {
				client.send("{\"type\":\"ping\",\"ref\":\"1\"}");
				JsonNode pong = client.nextOfType("pong");
				assertThat(pong.path("ref").asString()).isEqualTo("1");
			}

			String es256 = TestIdentityProvider.sign(EC, JWSAlgorithm.ES256, claims("bob", "team-*"));
			HttpCall.Answer history = HttpCall.to(gateway.port(), "GET", "/api/rooms/team-1/events?since=0").token(es256).send();
			assertThat(history.status()).as(history.body().toString()).isEqualTo(200);
			HttpCall.Answer otherRoom = HttpCall.to(gateway.port(), "GET", "/api/rooms/lobby/events?since=0").token(es256).send();
			assertThat(otherRoom.status()).as("outside the token's rooms").isEqualTo(403);

			String unknownKey = TestIdentityProvider.sign(TestIdentityProvider.rsaKey("rsa-9"), JWSAlgorithm.RS256,
					claims("mallory", "*"));
			TestClient.Refusal refused = TestClient.refusal("ws://127.0.0.1:" + gateway.port() + "/ws", "Bearer " + unknownKey);
			assertThat(refused.status()).isEqualTo(401);
			assertThat(refused.body()).contains("retry");
			assertThat(HttpCall.to(gateway.port(), "GET", "/api/rooms/team-1/events?since=0").token(unknownKey).send().status())
				.isEqualTo(401);
		}
	}

	@Test
	void aGatewayStartsWhileItsIdentityProviderIsDownAndKeepsTakingSecretTokens() {
		try (TestIdentityProvider provider = TestIdentityProvider.start(RSA)) {
			provider.answerWith(503);
			try (GatewayInstance gateway = GatewayInstance.start("gateway.auth.jwks-url=" + provider.jwksUrl())) {
				String rs256 = TestIdentityProvider.sign(RSA, JWSAlgorithm.RS256, claims("alice", "team-*"));
				assertThat(TestClient.refusal("ws://127.0.0.1:" + gateway.port() + "/ws", "Bearer " + rs256).status())
					.isEqualTo(401);
				try (TestClient client = TestClient.connect(gateway.port(), TestTokens.forRooms("carol", "team-1"))) {
					client.send("{\"type\":\"ping\",\"ref\":\"2\"}");
					assertThat(client.nextOfType("pong").path("ref").asString()).isEqualTo("2");
				}
			}
		}
	}

}
