package io.eventgateway.gateway.ratelimit;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.eventgateway.core.ratelimit.RateLimiter;
import io.eventgateway.core.ratelimit.TokenBucket;
import reactor.core.publisher.Mono;

/** Token buckets in this instance's memory: a bounded number of keys, idle ones forgotten. */
public final class LocalRateLimiter implements RateLimiter {

	private final Cache<String, TokenBucket> buckets;

	private final double ratePerSecond;

	private final int burst;

	public LocalRateLimiter(double ratePerSecond, int burst, long maxKeys) {
		this.ratePerSecond = ratePerSecond;
		this.burst = burst;
		// A bucket idle long enough to have refilled is the same as a new one.
		this.buckets = Caffeine.newBuilder()
			.maximumSize(maxKeys)
			.expireAfterAccess(Duration.ofNanos((long) (burst / ratePerSecond * 1e9)).plusSeconds(1))
			.build();
	}

	@Override
	public Mono<Decision> tryAcquire(String key) {
		return Mono.just(acquire(key));
	}

	public Decision acquire(String key) {
		TokenBucket bucket = this.buckets.get(key, k -> new TokenBucket(this.ratePerSecond, this.burst, System::nanoTime));
		synchronized (bucket) {
			if (bucket.tryTake()) {
				return Decision.ALLOWED;
			}
			return new Decision(false, TimeUnit.NANOSECONDS.toMillis(bucket.nanosUntilNext()) + 1);
		}
	}

}
