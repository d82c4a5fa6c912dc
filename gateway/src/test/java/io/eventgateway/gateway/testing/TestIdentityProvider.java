package io.eventgateway.gateway.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * An identity provider for tests: a real HTTP server on 127.0.0.1 that serves the public parts of
 * the keys it is told to publish as a JWKS, can be made to fail, and signs tokens with nimbus.
 */
public final class TestIdentityProvider implements AutoCloseable {

	private static final String PATH = "/.well-known/jwks.json";

	private final HttpServer server;

	private final AtomicInteger requests = new AtomicInteger();

	private final AtomicBoolean stopped = new AtomicBoolean();

	private volatile String document = new JWKSet().toString();

	private volatile int status = 200;

	private TestIdentityProvider(HttpServer server) {
		this.server = server;
	}

	public static TestIdentityProvider start(JWK... keys) {
		try {
			HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
			TestIdentityProvider provider = new TestIdentityProvider(server);
			server.createContext(PATH, provider::answer);
			server.start();
			provider.publish(keys);
			return provider;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	public static RSAKey rsaKey(String kid) {
		try {
			return new RSAKeyGenerator(2048).keyID(kid).generate();
		}
		catch (JOSEException ex) {
			throw new IllegalStateException(ex);
		}
	}

	public static ECKey ecKey(String kid) {
		try {
			return new ECKeyGenerator(Curve.P_256).keyID(kid).generate();
		}
		catch (JOSEException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** A compact JWS with {@code typ: JWT}, {@code alg} and the key's {@code kid} in its header. */
	public static String sign(JWK key, JWSAlgorithm algorithm, JWTClaimsSet claims) {
		return sign(key, new JWSHeader.Builder(algorithm).type(JOSEObjectType.JWT).keyID(key.getKeyID()).build(), claims);
	}

	public static String sign(JWK key, JWSHeader header, JWTClaimsSet claims) {
		try {
			JWSSigner signer = (key instanceof RSAKey rsa) ? new RSASSASigner(rsa) : new ECDSASigner((ECKey) key);
			SignedJWT jwt = new SignedJWT(header, claims);
			jwt.sign(signer);
			return jwt.serialize();
		}
		catch (JOSEException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** From now on the JWKS holds the public parts of these keys, and only them. */
	public void publish(JWK... keys) {
		this.document = new JWKSet(List.of(keys)).toString(true);
	}

	/** From now on the JWKS URL answers with this text instead of a key set. */
	public void serveText(String text) {
		this.document = text;
	}

	/** From now on the JWKS answers with this status and no key set (200 serves it again). */
	public void answerWith(int status) {
		this.status = status;
	}

	public String jwksUrl() {
		return "http://127.0.0.1:" + this.server.getAddress().getPort() + PATH;
	}

	/** Requests for the JWKS so far. */
	public int requests() {
		return this.requests.get();
	}

	private void answer(HttpExchange exchange) throws IOException {
		this.requests.incrementAndGet();
		int answer = this.status;
		byte[] body = (answer == 200) ? this.document.getBytes(StandardCharsets.UTF_8) : "{\"error\":\"down\"}".getBytes(StandardCharsets.UTF_8);
		exchange.getResponseHeaders().set("Content-Type", "application/jwk-set+json");
		exchange.sendResponseHeaders(answer, body.length);
		try (OutputStream out = exchange.getResponseBody()) {
			out.write(body);
		}
	}

	@Override
	public void close() {
		if (this.stopped.compareAndSet(false, true)) {
			this.server.stop(0);
		}
	}

}
