package io.eventgateway.gateway.redis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import io.eventgateway.core.room.Presence;
import io.eventgateway.core.room.RoomRegistry;
import io.eventgateway.gateway.support.PeriodicTask;
import io.lettuce.core.SetArgs;
import io.lettuce.core.cluster.api.reactive.RedisClusterReactiveCommands;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Cluster-wide presence. Each instance writes its members in a Redis hash per room (field
 * {@code instance|user}, value: that user's connections here) and keeps a lease that expires unless
 * renewed. Readers count only instances whose lease is alive, so the members of a crashed instance
 * disappear within one lease time, and they remove what the dead left behind. After Redis lost its
 * data the lease renewal writes this instance's members again.
 *
 * <p>Joins and leaves only mark their room: the room's counts, read from the local registry, are
 * written a moment later, together with every other change of that moment. A reconnect storm of
 * thousands of joins costs a few commands per room, not one per connection from the event loops,
 * and the written counts are absolute, so a lost write is repaired by the next one.
 */
public final class RedisPresence extends PeriodicTask implements Presence {

	private static final Logger logger = LoggerFactory.getLogger(RedisPresence.class);

	private final RedisClusterReactiveCommands<String, String> redis;

	private final RedisKeys keys;

	private final String instanceId;

	private final RoomRegistry registry;

	private final Duration lease;

	private final Duration writeDelay;

	/** Rooms whose members changed since they were last written. */
	private final Set<String> changed = ConcurrentHashMap.newKeySet();

	private static final int RENEWALS_AFTER_DOUBT = 3;

	/** Renewals still to write every member again: set when a renewal failed. */
	private final AtomicInteger renewalsInDoubt = new AtomicInteger();

	/** The users written for each room, so that those who left can be removed. */
	private final Map<String, Set<String>> written = new ConcurrentHashMap<>();

	/**
	 * @param writeDelay how often changed rooms are written: the longest a join or leave waits to be
	 * seen by other instances
	 */
	public RedisPresence(RedisClusterReactiveCommands<String, String> redis, RedisKeys keys, String instanceId,
			RoomRegistry registry, Duration lease, Duration writeDelay) {
		this.redis = redis;
		this.keys = keys;
		this.instanceId = instanceId;
		this.registry = registry;
		this.lease = lease;
		this.writeDelay = writeDelay;
	}

	@Override
	public void joined(String room, String user) {
		this.changed.add(room);
	}

	@Override
	public void left(String room, String user) {
		this.changed.add(room);
	}

	/** Writes this instance's members of every room that changed. */
	Mono<Void> writeChanged() {
		if (this.changed.isEmpty()) {
			return Mono.empty();
		}
		List<String> rooms = new ArrayList<>(this.changed);
		this.changed.removeAll(rooms);
		return Flux.fromIterable(rooms).concatMap(room -> write(room).onErrorResume(error -> {
			// Written again at the next tick.
			this.changed.add(room);
			logFailure(error);
			return Mono.empty();
		})).then();
	}

	private Mono<Void> write(String room) {
		String key = this.keys.presence(room);
		Map<String, Integer> members = this.registry.presence(room);
		Set<String> before = this.written.getOrDefault(room, Set.of());
		List<String> gone = before.stream().filter(user -> !members.containsKey(user)).map(this::field).toList();
		Map<String, String> counts = new HashMap<>();
		members.forEach((user, count) -> counts.put(field(user), String.valueOf(count)));
		Mono<?> set = counts.isEmpty() ? Mono.empty() : this.redis.hset(key, counts);
		Mono<?> removed = gone.isEmpty() ? Mono.empty() : this.redis.hdel(key, gone.toArray(String[]::new));
		return set.then(removed).then(Mono.fromRunnable(() -> {
			if (members.isEmpty()) {
				this.written.remove(room);
			}
			else {
				this.written.put(room, Set.copyOf(members.keySet()));
			}
		}));
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
			.then(Mono.defer(this::republishAfterFailedRenewals))
			.doOnError(error -> this.renewalsInDoubt.set(RENEWALS_AFTER_DOUBT));
	}

	/**
	 * After a renewal failed (a frozen or unreachable Redis), what Redis holds is unknown: the lease
	 * may have run out and readers removed our members as a dead instance's, while the SET that
	 * renewed it ran anyway and lost only its reply, so no new lease is seen. The members are
	 * written again at each of the next renewals, which also outlasts a reader's clean-up that was
	 * decided while the lease was gone and arrives after the first rewrite.
	 */
	private Mono<Void> republishAfterFailedRenewals() {
		int left = this.renewalsInDoubt.getAndUpdate(count -> Math.max(0, count - 1));
		return (left > 0) ? republish() : Mono.empty();
	}

	// A new lease means Redis had none: this instance is new, or Redis lost its data. Write our members.
	private Mono<Void> republish() {
		// Written by the next members tick: one writer of the hashes at a time.
		this.written.clear();
		this.changed.addAll(this.registry.rooms());
		return Mono.empty();
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
		Flux<Void> leases = Flux.interval(Duration.ZERO, this.lease.dividedBy(3))
			// A renewal still waiting on a frozen Redis when the next is due is not doubled: that tick
			// is dropped (without this the interval fails with an overflow, and the task ends).
			.onBackpressureDrop()
			// A failed renewal is retried at the next tick; the lease outlives two of them.
			.concatMap(tick -> renewLease().onErrorResume(error -> {
				logFailure(error);
				return Mono.empty();
			}));
		Flux<Void> members = Flux.interval(this.writeDelay, this.writeDelay).onBackpressureDrop()
			.concatMap(tick -> writeChanged(), 1);
		return Flux.merge(leases, members);
	}

	@Override
	public void stop() {
		super.stop();
		// Leave at once rather than after the lease runs out.
		this.redis.del(this.keys.instanceLease(this.instanceId)).onErrorResume(error -> Mono.empty()).block(Duration.ofSeconds(2));
	}

}
