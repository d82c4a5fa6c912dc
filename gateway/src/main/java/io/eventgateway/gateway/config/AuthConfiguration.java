package io.eventgateway.gateway.config;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.List;

import io.eventgateway.gateway.auth.TokenService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.EventListener;

/** Token verification; without a configured secret, a random one and a development token in the log. */
@Configuration(proxyBeanMethods = false)
public class AuthConfiguration {

	private static final Logger logger = LoggerFactory.getLogger(AuthConfiguration.class);

	private final GatewayProperties properties;

	private final boolean developmentSecret;

	private final TokenService tokens;

	public AuthConfiguration(GatewayProperties properties) {
		this.properties = properties;
		String secret = properties.configuredSecret();
		this.developmentSecret = secret == null;
		if (secret == null) {
			byte[] random = new byte[32];
			new SecureRandom().nextBytes(random);
			secret = Base64.getEncoder().encodeToString(random);
		}
		this.tokens = new TokenService(secret, properties.auth().tokenRules(), Clock.systemUTC());
	}

	@Bean
	TokenService tokenService() {
		return this.tokens;
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
