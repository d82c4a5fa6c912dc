package io.eventgateway.gateway.http;

import io.eventgateway.gateway.metrics.GatewayMeters;
import io.eventgateway.gateway.testing.GatewayInstance;
import io.eventgateway.gateway.testing.HttpCall;
import io.eventgateway.gateway.testing.HttpCall.Answer;
import io.eventgateway.gateway.testing.TestTokens;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The HTTP API's per-user rate limit on the embedded default. */
class RateLimitIntegrationTests {

	@Test
	void requestsBeyondTheRateLimitAreRefusedWith429AndRetryAfter() {
		try (GatewayInstance limited = GatewayInstance.start("gateway.http.rate-limit=1", "gateway.http.rate-limit-burst=3")) {
			String token = TestTokens.forRooms("busy", "team-*");
			for (int i = 0; i < 3; i++) {
				assertThat(HttpCall.to(limited.port(), "GET", "/api/teams/x/tasks").token(token).send().status()).isEqualTo(200);
			}
			Answer refused = HttpCall.to(limited.port(), "GET", "/api/teams/x/tasks").token(token).send();
			TaskApiIntegrationTests.assertProblem(refused, 429, "rate-limited");
			assertThat(Long.parseLong(refused.header("Retry-After"))).isBetween(1L, 2L);
			assertThat(limited.bean(MeterRegistry.class).counter(GatewayMeters.HTTP_RATE_LIMITED).count()).isEqualTo(1);
			// Another user has a bucket of its own.
			assertThat(HttpCall.to(limited.port(), "GET", "/api/teams/x/tasks").token(TestTokens.forRooms("calm", "team-*")).send()
				.status()).isEqualTo(200);
		}
	}

}
