package io.eventgateway.gateway.auth;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.eventgateway.gateway.testing.GatewayInstance;
import io.eventgateway.gateway.testing.HttpCall;
import io.eventgateway.gateway.testing.TestClient;
import io.eventgateway.gateway.testing.TestIdentityProvider;
import io.eventgateway.gateway.testing.TestTokens;
import io.eventgateway.gateway.websocket.ConnectionLimiter;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Forged, altered and out-of-date tokens at the handshake of a gateway that takes HS256 tokens and
 * RS256 ones of a JWKS, with a required issuer and audience: each is a 401 problem before the
 * upgrade and on the HTTP API, and a connected client goes on undisturbed.
 */
class TokenAttackIntegrationTests {

	private static final String ISSUER = "https://id.example.test";

	private static final String AUDIENCE = "event-gateway";

	private static final RSAKey RSA = TestIdentityProvider.rsaKey("rsa-1");

	private static JWTClaimsSet.Builder claims(String user) {
		return new JWTClaimsSet.Builder().subject(user).issuer(ISSUER).audience(AUDIENCE).issueTime(new Date())
			.expirationTime(Date.from(Instant.now().plusSeconds(600))).claim("rooms", List.of("*"));
	}

	private static String hs256(JWTClaimsSet claims) {
		return hs256(claims, TestTokens.SECRET.getBytes(StandardCharsets.UTF_8));
	}

	private static String hs256(JWTClaimsSet claims, byte[] secret) {
		try {
			SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID("rsa-1").build(), claims);
			jwt.sign(new MACSigner(secret));
			return jwt.serialize();
		}
		catch (JOSEException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static String part(String json) {
		return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
	}

	/** The attacks, by name. */
	private static Map<String, String> attacks() throws JOSEException {
		Map<String, String> attacks = new LinkedHashMap<>();
		String good = hs256(claims("mallory").build());
		String[] parts = good.split("\\.");
		String payload = parts[1];
		for (String none : List.of("none", "None", "NONE", "nOnE")) {
			attacks.put("alg " + none, part("{\"alg\":\"" + none + "\",\"typ\":\"JWT\"}") + "." + payload + ".");
		}
		attacks.put("alg none with the good signature", part("{\"alg\":\"none\"}") + "." + payload + "." + parts[2]);
		attacks.put("HS256 without a signature", parts[0] + "." + payload + ".");
		byte[] publicJwk = RSA.toPublicJWK().toJSONString().getBytes(StandardCharsets.UTF_8);
		byte[] publicDer = RSA.toRSAPublicKey().getEncoded();
		String pem = "-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
			.encodeToString(publicDer) + "\n-----END PUBLIC KEY-----\n";
		attacks.put("HS256 keyed with the RS256 public JWK", hs256(claims("mallory").build(), publicJwk));
		attacks.put("HS256 keyed with the RS256 public key (DER)", hs256(claims("mallory").build(), publicDer));
		attacks.put("HS256 keyed with the RS256 public key (PEM)",
				hs256(claims("mallory").build(), pem.getBytes(StandardCharsets.US_ASCII)));
		String widened = part("{\"sub\":\"admin\",\"iss\":\"" + ISSUER + "\",\"aud\":\"" + AUDIENCE + "\",\"exp\":"
				+ Instant.now().plusSeconds(600).getEpochSecond() + ",\"rooms\":[\"*\"]}");
		attacks.put("claims changed after signing", parts[0] + "." + widened + "." + parts[2]);
		String rs256 = TestIdentityProvider.sign(RSA, JWSAlgorithm.RS256, claims("mallory").build());
		String[] rsParts = rs256.split("\\.");
		attacks.put("RS256 claims changed after signing", rsParts[0] + "." + widened + "." + rsParts[2]);
		attacks.put("expired", hs256(claims("mallory").issueTime(Date.from(Instant.now().minusSeconds(7200)))
			.expirationTime(Date.from(Instant.now().minusSeconds(3600))).build()));
		attacks.put("not valid yet", hs256(claims("mallory").notBeforeTime(Date.from(Instant.now().plusSeconds(3600))).build()));
		attacks.put("another issuer", hs256(claims("mallory").issuer("https://evil.example.test").build()));
		attacks.put("no issuer", hs256(claims("mallory").issuer(null).build()));
		attacks.put("another audience", hs256(claims("mallory").audience("another-service").build()));
		attacks.put("no audience", hs256(claims("mallory").audience((String) null).build()));
		attacks.put("RS256 from another issuer",
				TestIdentityProvider.sign(RSA, JWSAlgorithm.RS256, claims("mallory").issuer("https://evil.example.test").build()));
		return attacks;
	}

	@Test
	void everyForgedAlteredOrOutOfDateTokenIsRefusedWith401BeforeTheUpgrade() throws JOSEException {
		try (TestIdentityProvider provider = TestIdentityProvider.start(RSA);
				GatewayInstance gateway = GatewayInstance.start("gateway.auth.jwks-url=" + provider.jwksUrl(),
						"gateway.auth.issuer=" + ISSUER, "gateway.auth.audience=" + AUDIENCE, "gateway.ws.bad-input-limit=1000",
						"gateway.http.rate-limit=1000000", "gateway.http.rate-limit-burst=1000000");
				TestClient bystander = TestClient.connect(gateway.port(), hs256(claims("alice").build()))) {
			String url = "ws://127.0.0.1:" + gateway.port() + "/ws";
			// The well-formed tokens of both kinds are taken: the refusals below are for the attack alone.
			try (TestClient rs256 = TestClient.connect(gateway.port(),
					TestIdentityProvider.sign(RSA, JWSAlgorithm.RS256, claims("bob").build()))) {
				assertPong(rs256, "rs");
			}
			ConnectionLimiter limiter = gateway.bean(ConnectionLimiter.class);
			int probe = 0;
			for (Map.Entry<String, String> attack : attacks().entrySet()) {
				TestClient.Refusal refusal = TestClient.refusal(url, "Bearer " + attack.getValue());
				assertThat(refusal.status()).as(attack.getKey() + ": " + refusal.body()).isEqualTo(401);
				assertThat(refusal.contentType()).as(attack.getKey()).isEqualTo("application/problem+json");
				assertThat(refusal.problem().path("type").asString()).as(attack.getKey()).endsWith(":unauthorized");
				HttpCall.Answer overHttp = HttpCall.to(gateway.port(), "GET", "/api/rooms/team-1/events?since=0")
					.token(attack.getValue()).send();
				assertThat(overHttp.status()).as(attack.getKey() + " over HTTP").isEqualTo(401);
				assertThat(limiter.total()).as(attack.getKey() + ": only the bystander is connected").isEqualTo(1);
				assertPong(bystander, "after-" + ++probe);
			}
		}
	}

	private static void assertPong(TestClient client, String ref) {
		client.send("{\"type\":\"ping\",\"ref\":\"" + ref + "\"}");
		assertThat(client.nextOfType("pong").path("ref").asString()).isEqualTo(ref);
	}

}
