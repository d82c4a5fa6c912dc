package io.eventgateway.gateway.http;

import java.util.List;

import io.eventgateway.core.ratelimit.RateLimiter;
import io.eventgateway.core.auth.ClientIdentity;
import io.eventgateway.gateway.metrics.GatewayMeters;
import io.eventgateway.gateway.net.ClientAddresses;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.http.HttpStatus;
import org.springframework.web.reactive.function.server.HandlerFilterFunction;
import org.springframework.web.reactive.function.server.HandlerFunction;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;

/**
 * Request rate limits: per user for requests with a valid token, per client address for the rest
 * (so bad tokens cannot be used to dodge the limit). Refusals are 429 with {@code Retry-After}.
 */
public final class RateLimitFilter implements HandlerFilterFunction<ServerResponse, ServerResponse> {

	private final ApiRequests requests;

	private final RateLimiter limiter;

	private final ClientAddresses clients;

	private final Counter refused;

	public RateLimitFilter(ApiRequests requests, RateLimiter limiter, ClientAddresses clients, MeterRegistry meters) {
		this.requests = requests;
		this.limiter = limiter;
		this.clients = clients;
		this.refused = meters.counter(GatewayMeters.HTTP_RATE_LIMITED);
	}

	@Override
	public Mono<ServerResponse> filter(ServerRequest request, HandlerFunction<ServerResponse> next) {
		ClientIdentity identity = this.requests.identityOrNull(request);
		String key = (identity != null) ? "user:" + identity.user() : "address:"
				+ this.clients.keyOf(request.remoteAddress().orElse(null), request.headers().header(ClientAddresses.FORWARDED_FOR));
		return this.limiter.tryAcquire(key).flatMap(decision -> {
			if (decision.allowed()) {
				return next.handle(request);
			}
			this.refused.increment();
			long seconds = Math.max(1, (decision.retryAfterMillis() + 999) / 1000);
			return Mono.error(new ApiException(HttpStatus.TOO_MANY_REQUESTS, "rate-limited",
					"too many requests; retry in " + seconds + " s", List.of(), seconds));
		});
	}

}
