package io.eventgateway.gateway.config;

import java.net.URI;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.List;

import io.eventgateway.gateway.auth.JwksKeys;
import io.eventgateway.gateway.auth.TokenService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.EventListener;

/**
 * Token verification: with the shared secret, the keys of a JWKS URL, or both. On the embedded
 * default without a secret, a random one and a development token in the log.
 */
@Configuration(proxyBeanMethods = false)
public class AuthConfiguration implements DisposableBean {

	private static final Logger logger = LoggerFactory.getLogger(AuthConfiguration.class);

	private final GatewayProperties properties;

	private final boolean developmentSecret;

	private final JwksKeys jwks;

	private final TokenService tokens;

	public AuthConfiguration(GatewayProperties properties) {
		this.properties = properties;
		String secret = properties.configuredSecret();
		this.developmentSecret = secret == null && properties.mode() == DeploymentMode.EMBEDDED;
		if (this.developmentSecret) {
			byte[] random = new byte[32];
			new SecureRandom().nextBytes(random);
			secret = Base64.getEncoder().encodeToString(random);
		}
		this.jwks = jwks(properties.auth());
		this.tokens = new TokenService(secret, this.jwks, properties.auth().tokenRules(), Clock.systemUTC());
	}

	// Start-up runs on the main thread: waiting here for the first key set blocks no event loop.
	private static JwksKeys jwks(GatewayProperties.Auth auth) {
		String url = auth.configuredJwksUrl();
		if (url == null) {
			return null;
		}
		JwksKeys keys = new JwksKeys(url.trim(), auth.jwksRefreshInterval());
		warnIfInTheClear(URI.create(url.trim()));
		keys.start();
		return keys;
	}

	private static void warnIfInTheClear(URI url) {
		String host = url.getHost();
		boolean loopback = "localhost".equals(host) || host.startsWith("127.") || "[::1]".equals(host);
		if (!"http".equals(url.getScheme()) || loopback) {
			return;
		}
		logger.warn("gateway.auth.jwks-url is plain http to {}: anyone on the path can replace the keys and sign "
				+ "tokens for every room; use https", url.getHost());
	}

	@Bean
	TokenService tokenService() {
		return this.tokens;
	}

	/** Stops the background refresh of the key set when the gateway stops. */
	@Override
	public void destroy() {
		if (this.jwks != null) {
			this.jwks.close();
		}
	}

	@EventListener(ApplicationReadyEvent.class)
	void announceDevelopmentToken() {
		if (this.developmentSecret) {
			Instant expires = Clock.systemUTC().instant().plus(this.properties.auth().devTokenTtl());
			String token = this.tokens.issue("dev", List.of("*"), expires);
			logger.warn("No gateway.auth.jwt-secret set: embedded development mode only (no database, no Redis), with a "
					+ "random secret. Development token (user 'dev', every room, expires {}):%n{}".formatted(""), expires, token);
		}
	}

}
