package io.eventgateway.gateway.redis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.eventgateway.core.room.Presence;
import io.eventgateway.core.room.RoomRegistry;
import io.eventgateway.gateway.support.PeriodicTask;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.reactive.RedisReactiveCommands;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Cluster-wide presence. Each instance counts its members in a Redis hash per room (field
 * {@code instance|user}) and keeps a lease that expires unless renewed. Readers count only instances
 * whose lease is alive, so the members of a crashed instance disappear within one lease time, and
 * they remove what the dead left behind. After Redis lost its data the lease renewal writes this
 * instance's members again.
 */
public final class RedisPresence extends PeriodicTask implements Presence {

	private static final Logger logger = LoggerFactory.getLogger(RedisPresence.class);

	private final RedisReactiveCommands<String, String> redis;

	private final RedisKeys keys;

	private final String instanceId;

	private final RoomRegistry registry;

	private final Duration lease;

	public RedisPresence(RedisReactiveCommands<String, String> redis, RedisKeys keys, String instanceId,
			RoomRegistry registry, Duration lease) {
		this.redis = redis;
		this.keys = keys;
		this.instanceId = instanceId;
		this.registry = registry;
		this.lease = lease;
	}

	@Override
	public void joined(String room, String user) {
		this.redis.hincrby(this.keys.presence(room), field(user), 1).subscribe(null, this::logFailure);
	}

	@Override
	public void left(String room, String user) {
		String key = this.keys.presence(room);
		this.redis.hincrby(key, field(user), -1)
			.flatMap(count -> count <= 0 ? this.redis.hdel(key, field(user)) : Mono.empty())
			.subscribe(null, this::logFailure);
	}

	@Override
	public Mono<Map<String, Integer>> members(String room) {
		String key = this.keys.presence(room);
		return this.redis.hgetall(key).collectMap(entry -> entry.getKey(), entry -> entry.getValue()).flatMap(fields -> {
			List<String> instances = fields.keySet().stream().map(RedisPresence::instanceOf).distinct().toList();
			return Flux.fromIterable(instances)
				.flatMap(instance -> this.redis.exists(this.keys.instanceLease(instance)).map(alive -> Map.entry(instance, alive > 0)))
				.collectMap(Map.Entry::getKey, Map.Entry::getValue)
				.flatMap(alive -> {
					Map<String, Integer> users = new TreeMap<>();
					List<String> dead = new ArrayList<>();
					fields.forEach((field, count) -> {
						if (alive.getOrDefault(instanceOf(field), false)) {
							users.merge(userOf(field), Integer.parseInt(count), Integer::sum);
						}
						else {
							dead.add(field);
						}
					});
					users.values().removeIf(count -> count <= 0);
					Mono<Long> cleanup = dead.isEmpty() ? Mono.empty() : this.redis.hdel(key, dead.toArray(String[]::new));
					return cleanup.onErrorResume(error -> Mono.empty()).thenReturn(users);
				});
		});
	}

	private Mono<Void> renewLease() {
		return this.redis.set(this.keys.instanceLease(this.instanceId), "1", SetArgs.Builder.px(this.lease.toMillis()).nx())
			.flatMap(created -> "OK".equals(created) ? republish() : this.redis.pexpire(
					this.keys.instanceLease(this.instanceId), this.lease.toMillis()).then())
			.switchIfEmpty(Mono.defer(() -> this.redis
				.pexpire(this.keys.instanceLease(this.instanceId), this.lease.toMillis()).then()))
			.then();
	}

	// A new lease means Redis had none: this instance is new, or Redis lost its data. Write our members.
	private Mono<Void> republish() {
		return Flux.fromIterable(this.registry.rooms()).concatMap(room -> {
			Map<String, String> counts = new HashMap<>();
			this.registry.presence(room).forEach((user, count) -> counts.put(field(user), String.valueOf(count)));
			return counts.isEmpty() ? Mono.empty() : this.redis.hset(this.keys.presence(room), counts);
		}).then();
	}

	private String field(String user) {
		return this.instanceId + "|" + user;
	}

	private static String instanceOf(String field) {
		return field.substring(0, field.indexOf('|'));
	}

	private static String userOf(String field) {
		return field.substring(field.indexOf('|') + 1);
	}

	private void logFailure(Throwable error) {
		logger.debug("presence update failed: {}", error.getMessage());
	}

	@Override
	protected Flux<?> schedule() {
		return Flux.interval(Duration.ZERO, this.lease.dividedBy(3))
			// A failed renewal is retried at the next tick; the lease outlives two of them.
			.concatMap(tick -> renewLease().onErrorResume(error -> {
				logFailure(error);
				return Mono.empty();
			}));
	}

	@Override
	public void stop() {
		super.stop();
		// Leave at once rather than after the lease runs out.
		this.redis.del(this.keys.instanceLease(this.instanceId)).onErrorResume(error -> Mono.empty()).block(Duration.ofSeconds(2));
	}

}
