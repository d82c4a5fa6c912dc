package io.eventgateway.core.ratelimit;

import reactor.core.publisher.Mono;

/** Request rate limits per key (a user, a client address): one bucket per key. */
public interface RateLimiter {

	/** Takes one request's permit from the key's bucket. */
	Mono<Decision> tryAcquire(String key);

	/**
	 * @param retryAfterMillis when refused, how long until a permit is there again
	 */
	record Decision(boolean allowed, long retryAfterMillis) {

		public static final Decision ALLOWED = new Decision(true, 0);

	}

}
