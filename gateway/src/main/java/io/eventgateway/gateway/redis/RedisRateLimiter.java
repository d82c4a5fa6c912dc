package io.eventgateway.gateway.redis;

import io.eventgateway.core.ratelimit.RateLimiter;
import io.eventgateway.gateway.ratelimit.LocalRateLimiter;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.api.reactive.RedisClusterReactiveCommands;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

/**
 * Rate limits shared by every instance: GCRA (a token bucket kept as one timestamp per key) in a Lua
 * script, on Redis's clock. When Redis does not answer, each instance limits on its own.
 */
public final class RedisRateLimiter implements RateLimiter {

	private static final Logger logger = LoggerFactory.getLogger(RedisRateLimiter.class);

	// KEYS[1] the key's theoretical arrival time (ms); ARGV interval ms, burst. Returns ms to wait, 0 = allowed.
	private static final String GCRA = """
			local time = redis.call('TIME')
			local now = tonumber(time[1]) * 1000 + tonumber(time[2]) / 1000
			local interval = tonumber(ARGV[1])
			local tat = tonumber(redis.call('GET', KEYS[1]) or now)
			if tat < now then tat = now end
			local next = tat + interval
			local allowedAt = next - interval * tonumber(ARGV[2])
			if allowedAt > now then return math.ceil(allowedAt - now) end
			redis.call('SET', KEYS[1], tostring(next), 'PX', math.ceil(next - now) + 1000)
			return 0""";

	private final RedisClusterReactiveCommands<String, String> redis;

	private final RedisKeys keys;

	private final String interval;

	private final String burst;

	private final LocalRateLimiter fallback;

	public RedisRateLimiter(RedisClusterReactiveCommands<String, String> redis, RedisKeys keys, double ratePerSecond, int burst,
			LocalRateLimiter fallback) {
		this.redis = redis;
		this.keys = keys;
		this.interval = String.valueOf(1000d / ratePerSecond);
		this.burst = String.valueOf(burst);
		this.fallback = fallback;
	}

	@Override
	public Mono<Decision> tryAcquire(String key) {
		return this.redis.<Long>eval(GCRA, ScriptOutputType.INTEGER, new String[] { this.keys.rateLimit(key) }, this.interval,
				this.burst)
			.next()
			.map(wait -> wait == 0 ? Decision.ALLOWED : new Decision(false, wait))
			.onErrorResume(error -> {
				logger.debug("shared rate limit unavailable, limiting locally: {}", error.getMessage());
				return this.fallback.tryAcquire(key);
			});
	}

}
