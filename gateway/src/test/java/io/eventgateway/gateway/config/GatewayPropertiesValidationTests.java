package io.eventgateway.gateway.config;

import java.time.Duration;

import io.eventgateway.gateway.auth.TokenRules;
import io.eventgateway.gateway.testing.TestTokens;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.validation.autoconfigure.ValidationAutoConfiguration;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/** A bad setting stops start-up with a message that names it. */
class GatewayPropertiesValidationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(ValidationAutoConfiguration.class))
		.withUserConfiguration(PropertiesOnly.class);

	@Test
	void defaultsAreValid() {
		this.runner.run(context -> {
			assertThat(context).hasNotFailed();
			GatewayProperties properties = context.getBean(GatewayProperties.class);
			assertThat(properties.ws().maxFrameSize().toKilobytes()).isEqualTo(64);
			assertThat(properties.ws().pingInterval().toSeconds()).isEqualTo(25);
			assertThat(properties.ws().idleTimeout().toSeconds()).isEqualTo(60);
			assertThat(properties.configuredSecret()).isNull();
		});
	}

	@Test
	void aNonPositiveLimitIsRejectedByName() {
		this.runner.withPropertyValues("gateway.ws.max-connections=0")
			.run(context -> assertThat(failureText(context.getStartupFailure())).contains("maxConnections")
				.contains("must be greater than 0"));
	}

	@Test
	void aShortSecretIsRejected() {
		this.runner.withPropertyValues("gateway.auth.jwt-secret=short")
			.run(context -> assertThat(failureText(context.getStartupFailure())).contains("jwtSecret")
				.contains("at least 32 characters"));
	}

	@Test
	void aDatabaseOrRedisWithoutASecretOrAJwksIsRefusedRatherThanMakingASecretOfItsOwn() {
		for (String[] settings : new String[][] { { "gateway.database.url=r2dbc:postgresql://db/gateway" },
				{ "gateway.database.url=r2dbc:postgresql://db/gateway", "gateway.redis.url=redis://cache:6379" },
				{ "gateway.database.url=r2dbc:postgresql://db/gateway", "gateway.auth.jwt-secret=" },
				{ "gateway.database.url=r2dbc:postgresql://db/gateway", "gateway.auth.jwt-secret=", "gateway.auth.jwks-url= " } }) {
			this.runner.withPropertyValues(settings)
				.run(context -> assertThat(failureText(context.getStartupFailure())).as(String.join(" ", settings))
					.containsAnyOf("gateway.auth.jwt-secret (GATEWAY_AUTH_JWT_SECRET) or gateway.auth.jwks-url "
							+ "(GATEWAY_AUTH_JWKS_URL) must be set", "at least 32 characters"));
		}
	}

	@Test
	void aJwksUrlAloneIsEnoughForADatabaseAndRedis() {
		this.runner.withPropertyValues("gateway.database.url=r2dbc:postgresql://db/gateway", "gateway.redis.url=redis://cache:6379",
				"gateway.auth.jwks-url=https://id.example.com/.well-known/jwks.json")
			.run(context -> {
				assertThat(context).hasNotFailed();
				GatewayProperties.Auth auth = context.getBean(GatewayProperties.class).auth();
				assertThat(auth.configuredSecret()).isNull();
				assertThat(auth.configuredJwksUrl()).isEqualTo("https://id.example.com/.well-known/jwks.json");
				assertThat(auth.jwksRefreshInterval()).isEqualTo(Duration.ofMinutes(5));
			});
	}

	@Test
	void aJwksUrlThatIsNotHttpAndARefreshTooOftenAreRefused() {
		for (String url : new String[] { "file:///etc/jwks.json", "id.example.com/jwks", "https:///jwks" }) {
			this.runner.withPropertyValues("gateway.auth.jwks-url=" + url)
				.run(context -> assertThat(failureText(context.getStartupFailure())).as(url)
					.contains("jwks-url must be an http:// or https:// URL with a host"));
		}
		this.runner.withPropertyValues("gateway.auth.jwks-url=https://id.example.com/jwks", "gateway.auth.jwks-refresh-interval=1s")
			.run(context -> assertThat(failureText(context.getStartupFailure())).contains("jwks-refresh-interval must be at least 10s"));
	}

	@Test
	void redisWithoutADatabaseIsRefused() {
		this.runner.withPropertyValues("gateway.redis.url=redis://cache:6379", TestTokens.SECRET_PROPERTY)
			.run(context -> assertThat(failureText(context.getStartupFailure()))
				.contains("gateway.redis.url is set but gateway.database.url is not"));
	}

	@Test
	void anEmptyUrlIsRefusedRatherThanReadAsUnset() {
		this.runner.withPropertyValues("gateway.redis.url=", "gateway.database.url=r2dbc:postgresql://db/gateway",
				TestTokens.SECRET_PROPERTY)
			.run(context -> assertThat(failureText(context.getStartupFailure()))
				.contains("gateway.redis.url (GATEWAY_REDIS_URL) is set but empty"));
		this.runner.withPropertyValues("gateway.database.url= ")
			.run(context -> assertThat(failureText(context.getStartupFailure()))
				.contains("gateway.database.url (GATEWAY_DATABASE_URL) is set but empty"));
	}

	@Test
	void theModeIsDerivedOnceFromBothUrls() {
		this.runner.run(context -> assertThat(context.getBean(GatewayProperties.class).mode()).isEqualTo(DeploymentMode.EMBEDDED));
		this.runner.withPropertyValues("gateway.database.url=r2dbc:postgresql://db/gateway", TestTokens.SECRET_PROPERTY)
			.run(context -> assertThat(context.getBean(GatewayProperties.class).mode()).isEqualTo(DeploymentMode.DATABASE));
		this.runner.withPropertyValues("gateway.database.url=r2dbc:postgresql://db/gateway", "gateway.redis.url=redis://c:6379",
				TestTokens.SECRET_PROPERTY)
			.run(context -> assertThat(context.getBean(GatewayProperties.class).mode()).isEqualTo(DeploymentMode.CLUSTER));
	}

	@Test
	void theDevelopmentTokenLivesAtMostAnHour() {
		this.runner.run(context -> assertThat(context.getBean(GatewayProperties.class).auth().devTokenTtl())
			.isEqualTo(Duration.ofHours(1)));
		this.runner.withPropertyValues("gateway.auth.dev-token-ttl=24h")
			.run(context -> assertThat(failureText(context.getStartupFailure())).contains("dev-token-ttl must be positive and at most 1h"));
	}

	@Test
	void tokenRulesAreReadAndAnUnreasonableSkewIsRefused() {
		this.runner.withPropertyValues("gateway.auth.issuer=https://id.example.com", "gateway.auth.audience=gateway",
				"gateway.auth.max-token-lifetime=2h")
			.run(context -> assertThat(context.getBean(GatewayProperties.class).auth().tokenRules())
				.isEqualTo(new TokenRules("https://id.example.com", "gateway", Duration.ofHours(2), Duration.ofSeconds(30))));
		this.runner.withPropertyValues("gateway.auth.clock-skew=1h")
			.run(context -> assertThat(failureText(context.getStartupFailure())).contains("clock-skew must be zero or positive"));
		this.runner.withPropertyValues("gateway.auth.max-token-lifetime=0s")
			.run(context -> assertThat(failureText(context.getStartupFailure())).contains("max-token-lifetime must be positive"));
	}

	@Test
	void aPruneIntervalNotLongerThanTheStatementTimeoutIsRefused() {
		this.runner.withPropertyValues("gateway.history.prune-interval=5s")
			.run(context -> assertThat(failureText(context.getStartupFailure()))
				.contains("gateway.history.prune-interval must be longer than gateway.database.statement-timeout"));
	}

	@Test
	void pendingPublishesMustFitTheOutboundQueue() {
		this.runner.withPropertyValues("gateway.ws.outbound-max-messages=10", "gateway.ws.max-pending-publishes=20")
			.run(context -> assertThat(failureText(context.getStartupFailure()))
				.contains("max-pending-publishes must not exceed outbound-max-messages"));
	}

	private static String failureText(Throwable failure) {
		assertThat(failure).isNotNull();
		StringBuilder text = new StringBuilder();
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			text.append(cause.getMessage()).append('\n');
		}
		return text.toString();
	}

	@Configuration(proxyBeanMethods = false)
	@EnableConfigurationProperties(GatewayProperties.class)
	static class PropertiesOnly {

	}

}
