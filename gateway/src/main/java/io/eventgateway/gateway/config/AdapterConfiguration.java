package io.eventgateway.gateway.config;

import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import io.eventgateway.core.broker.Broker;
import io.eventgateway.core.broker.LocalBroker;
import io.eventgateway.core.broker.SequencedDelivery;
import io.eventgateway.core.publish.EventPublisher;
import io.eventgateway.core.publish.PublishSettings;
import io.eventgateway.core.room.LocalPresence;
import io.eventgateway.core.room.Presence;
import io.eventgateway.core.room.RoomRegistry;
import io.eventgateway.core.ratelimit.RateLimiter;
import io.eventgateway.core.store.DataRejectedException;
import io.eventgateway.core.store.EventStore;
import io.eventgateway.core.store.RoomPositions;
import io.eventgateway.core.task.TaskException;
import io.eventgateway.core.task.TaskService;
import io.eventgateway.core.task.TaskStore;
import io.eventgateway.gateway.cache.CachingTaskStore;
import io.eventgateway.gateway.cache.LocalOnlyTaskCache;
import io.eventgateway.gateway.cache.SharedTaskCache;
import io.eventgateway.gateway.ratelimit.LocalRateLimiter;
import io.eventgateway.gateway.redis.RedisRateLimiter;
import io.eventgateway.gateway.redis.RedisTaskCache;
import io.eventgateway.gateway.store.ResilientTaskStore;
import io.eventgateway.gateway.store.StoreGuard;
import io.eventgateway.gateway.task.TaskJson;
import io.eventgateway.persistence.R2dbcTaskStore;
import io.eventgateway.gateway.metrics.GatewayMeters;
import io.eventgateway.gateway.redis.BrokerMeters;
import io.eventgateway.gateway.health.CachedHealthIndicator;
import io.eventgateway.gateway.redis.BrokerProbe;
import io.eventgateway.gateway.redis.ClusterConnections;
import io.eventgateway.gateway.redis.RedisBroker;
import io.eventgateway.gateway.redis.RedisConnections;
import io.eventgateway.gateway.redis.ServerConnections;
import io.eventgateway.gateway.redis.RedisHealthIndicator;
import io.eventgateway.gateway.redis.RedisKeys;
import io.eventgateway.gateway.redis.RedisPresence;
import io.eventgateway.gateway.store.BatchMeteredEventStore;
import io.eventgateway.gateway.store.ResilientEventStore;
import io.eventgateway.gateway.store.RetentionPruner;
import io.eventgateway.gateway.store.StoreHealthIndicator;
import io.eventgateway.persistence.R2dbcEventStore;
import io.eventgateway.persistence.StoreConnections;
import io.eventgateway.persistence.StoreLineage;
import io.eventgateway.persistence.StoreMigrations;
import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.bulkhead.BulkheadConfig;
import io.github.resilience4j.bulkhead.BulkheadFullException;
import io.github.resilience4j.bulkhead.BulkheadRegistry;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.micrometer.tagged.TaggedBulkheadMetrics;
import io.github.resilience4j.micrometer.tagged.TaggedCircuitBreakerMetrics;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisURI;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.metrics.MicrometerCommandLatencyRecorder;
import io.lettuce.core.metrics.MicrometerOptions;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.r2dbc.pool.ConnectionPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.health.contributor.ReactiveHealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import tools.jackson.databind.json.JsonMapper;

/**
 * The one place where the ports get their adapters. Embedded default: H2 through R2DBC and the
 * in-process broker. {@code gateway.database.url} names PostgreSQL instead; {@code gateway.redis.url}
 * turns on the Redis broker that makes several instances act as one. The pipelines are the same.
 */
@Configuration(proxyBeanMethods = false)
public class AdapterConfiguration {

	private static final Logger logger = LoggerFactory.getLogger(AdapterConfiguration.class);

	// One name per application context, so that several gateways in one JVM (tests) stay apart.
	private final String embeddedName = "gateway-" + UUID.randomUUID();

	private final String instanceId = UUID.randomUUID().toString().substring(0, 8);

	private final GatewayProperties properties;

	public AdapterConfiguration(GatewayProperties properties) {
		this.properties = properties;
	}

	private String storeUrl() {
		return (this.properties.mode() != DeploymentMode.EMBEDDED) ? this.properties.database().url()
				: EmbeddedStore.url(this.embeddedName);
	}

	@Bean(destroyMethod = "dispose")
	ConnectionPool storeConnectionPool() {
		String url = storeUrl();
		StoreMigrations.migrate(url);
		logger.info("event store: {}", StoreConnections.describe(url));
		GatewayProperties.Database database = this.properties.database();
		return StoreConnections.pool(url, 1, database.poolMaxSize(), database.acquireTimeout(), database.statementTimeout());
	}

	@Bean
	CircuitBreakerRegistry circuitBreakers(MeterRegistry meters) {
		// Open after half of at least 10 calls failed; probe again after 5 s. A call the bulkhead turned
		// away says nothing about the dependency's health: a burst of joins must not open the breaker.
		CircuitBreakerRegistry registry = CircuitBreakerRegistry.of(CircuitBreakerConfig.custom()
			// Refusals of what a caller asked are not failures of the dependency: one user sending bad
			// data must not open the breaker for everyone.
			.ignoreExceptions(BulkheadFullException.class, TaskException.class, DataRejectedException.class)
			.minimumNumberOfCalls(10)
			.failureRateThreshold(50)
			.slidingWindowSize(20)
			.waitDurationInOpenState(Duration.ofSeconds(5))
			.permittedNumberOfCallsInHalfOpenState(3)
			.build());
		TaggedCircuitBreakerMetrics.ofCircuitBreakerRegistry(registry).bindTo(meters);
		return registry;
	}

	// The H2 driver runs statements on the subscribing thread, and they may block: keep them off
	// the event loops. PostgreSQL's driver is non-blocking.
	private Scheduler storeScheduler() {
		return StoreConnections.isEmbedded(storeUrl()) ? Schedulers.boundedElastic() : Schedulers.immediate();
	}

	/** One bulkhead in front of the connection pool that both stores share. */
	@Bean
	Bulkhead storeBulkhead(MeterRegistry meters) {
		BulkheadRegistry registry = BulkheadRegistry.of(BulkheadConfig.custom()
			.maxConcurrentCalls(this.properties.database().maxConcurrentCalls())
			.maxWaitDuration(Duration.ZERO)
			.build());
		TaggedBulkheadMetrics.ofBulkheadRegistry(registry).bindTo(meters);
		return registry.bulkhead("store");
	}

	/** A breaker per store, so that a fault of one (a table, a query) does not refuse the other's calls. */
	private StoreGuard storeGuard(String breaker, CircuitBreakerRegistry circuitBreakers, Bulkhead storeBulkhead) {
		return new StoreGuard(circuitBreakers.circuitBreaker(breaker), storeBulkhead,
				this.properties.database().statementTimeout());
	}

	/** The lineage of the store's history, read (or made) once at start-up, for every store. */
	@Bean
	StoreLineage storeLineage(ConnectionPool storeConnectionPool) {
		return StoreLineage.read(storeConnectionPool, storeScheduler()).block();
	}

	@Bean
	EventStore eventStore(ConnectionPool storeConnectionPool, StoreLineage storeLineage,
			CircuitBreakerRegistry circuitBreakers, Bulkhead storeBulkhead) {
		R2dbcEventStore store = new R2dbcEventStore(storeConnectionPool, storeScheduler(), storeLineage.epoch(),
				this.properties.history().partitionIntervalOrDefault(), System::currentTimeMillis, appendConnections());
		// Before the first append, so the first events land in a partition of their own time.
		store.preparePartitions().block();
		// A prune longer than its interval would only overlap the next one.
		return new ResilientEventStore(store, storeGuard("event-store", circuitBreakers, storeBulkhead),
				this.properties.history().pruneInterval());
	}

	/**
	 * One kept connection per lane (a lane has one batch in flight), but never more than half the
	 * pool: reads and task writes keep the rest. A pool of one keeps none.
	 */
	private int appendConnections() {
		return Math.min(this.properties.publish().lanes(), this.properties.database().poolMaxSize() / 2);
	}

	@Bean
	RoomRegistry roomRegistry() {
		return new RoomRegistry();
	}

	private RedisKeys redisKeys() {
		return new RedisKeys(this.properties.redis().keyPrefix());
	}

	private RedisURI redisUri() {
		RedisURI uri = RedisURI.create(this.properties.redis().url());
		uri.setTimeout(this.properties.redis().commandTimeout());
		return uri;
	}

	/**
	 * The event loops and timers of the Redis client: a bean of their own, because Lettuce leaves
	 * resources it was given running when the client shuts down; closed after the client.
	 */
	@Bean(destroyMethod = "shutdown")
	@Conditional(ClusterModeCondition.class)
	ClientResources redisClientResources(MeterRegistry meters) {
		// Latency by command type only: the local address of each connection would be a tag per connection.
		MicrometerOptions latency = MicrometerOptions.builder()
			.histogram(true)
			.minLatency(Duration.ofNanos(100_000))
			.maxLatency(Duration.ofSeconds(2))
			.localDistinction(false)
			.build();
		return ClientResources.builder()
			.commandLatencyRecorder(new MicrometerCommandLatencyRecorder(meters, latency))
			.reconnectDelay(Delay.fullJitter(Duration.ofMillis(100), this.properties.redis().reconnectMaxDelay(), 100,
					TimeUnit.MILLISECONDS))
			.build();
	}

	/** One server or Sentinel group ({@code redis://}, {@code rediss://}, {@code redis-sentinel://}), or a Redis Cluster. */
	@Bean
	@Conditional(ClusterModeCondition.class)
	RedisConnections redisConnections(ClientResources redisClientResources) {
		GatewayProperties.Redis redis = this.properties.redis();
		ClientOptions options = ClientOptions.builder()
			.autoReconnect(true)
			// Fail at once while disconnected: a publish must not wait for Redis to come back.
			.disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
			.timeoutOptions(TimeoutOptions.enabled(redis.commandTimeout()))
			.build();
		if (RedisConnections.isCluster(redis.url())) {
			return new ClusterConnections(redisClientResources, ClusterConnections.seeds(redis.url(), redis.commandTimeout()),
					options, redis.topologyRefreshInterval());
		}
		return new ServerConnections(redisClientResources, redisUri(), options);
	}

	@Bean
	Broker broker(RoomRegistry roomRegistry, EventStore eventStore, CircuitBreakerRegistry circuitBreakers,
			ObjectProvider<RedisConnections> redisConnections, MeterRegistry meters) {
		GatewayProperties.Redis redis = this.properties.redis();
		if (this.properties.mode() != DeploymentMode.CLUSTER) {
			return new LocalBroker(roomRegistry, eventStore);
		}
		RedisConnections connections = redisConnections.getObject();
		logger.info("broker: Redis at {} (instance {})", connections.describe(), this.instanceId);
		SequencedDelivery delivery = new SequencedDelivery(roomRegistry, eventStore, 1000);
		FunctionCounter.builder(GatewayMeters.BROKER_GAP_FILLS, delivery, SequencedDelivery::gapFills).register(meters);
		FunctionCounter.builder(GatewayMeters.BROKER_CATCH_UP_READS, delivery, SequencedDelivery::catchUpReads)
			.register(meters);
		return new RedisBroker(connections, redisKeys(), this.instanceId, delivery,
				circuitBreakers.circuitBreaker("redis"), redis.commandTimeout(), redis.catchUpInterval(),
				BrokerMeters.register(meters));
	}

	/** Where joins read a room's position: a single instance's broker knows it for its rooms. */
	@Bean
	RoomPositions roomPositions(Broker broker, EventStore eventStore) {
		return (broker instanceof LocalBroker local) ? local::position : eventStore::position;
	}

	@Bean
	SharedTaskCache sharedTaskCache(Broker broker, TaskJson taskJson) {
		if (broker instanceof RedisBroker redis) {
			GatewayProperties.Cache cache = this.properties.cache();
			return new RedisTaskCache(redis.connections(), redisKeys(), this.instanceId, taskJson, cache.sharedTtl(),
					cache.invalidationTimeout());
		}
		return new LocalOnlyTaskCache();
	}

	@Bean
	RateLimiter httpRateLimiter(Broker broker) {
		GatewayProperties.Http http = this.properties.http();
		LocalRateLimiter local = new LocalRateLimiter(http.rateLimit(), http.rateLimitBurst(), http.rateLimitKeys());
		if (broker instanceof RedisBroker redis) {
			return new RedisRateLimiter(redis.commands(), redisKeys(), http.rateLimit(),
					http.rateLimitBurst(), local);
		}
		return local;
	}

	@Bean
	TaskJson taskJson(JsonMapper json) {
		return new TaskJson(json);
	}

	@Bean
	TaskStore taskStore(ConnectionPool storeConnectionPool, StoreLineage storeLineage,
			CircuitBreakerRegistry circuitBreakers, Bulkhead storeBulkhead, SharedTaskCache sharedTaskCache,
			TaskJson taskJson, MeterRegistry meters) {
		R2dbcTaskStore store = new R2dbcTaskStore(storeConnectionPool, storeScheduler(), taskJson, storeLineage.epoch());
		GatewayProperties.Cache cache = this.properties.cache();
		ResilientTaskStore resilient = new ResilientTaskStore(store, storeGuard("task-store", circuitBreakers, storeBulkhead));
		CachingTaskStore caching = new CachingTaskStore(resilient, sharedTaskCache, cache.localMaxEntries(), cache.localTtl());
		caching.bindTo(meters);
		return caching;
	}

	@Bean
	TaskService taskService(TaskStore taskStore, EventPublisher eventPublisher) {
		return new TaskService(taskStore, eventPublisher);
	}

	@Bean
	Presence presence(RoomRegistry roomRegistry, Broker broker) {
		if (broker instanceof RedisBroker redis) {
			return new RedisPresence(redis.commands(), redisKeys(), this.instanceId,
					roomRegistry, this.properties.redis().presenceLease(), this.properties.redis().presenceWriteDelay());
		}
		return new LocalPresence(roomRegistry);
	}

	@Bean
	EventPublisher eventPublisher(EventStore eventStore, Broker broker, MeterRegistry meters) {
		GatewayProperties.Publish publish = this.properties.publish();
		return new EventPublisher(new BatchMeteredEventStore(eventStore, meters), broker,
				new PublishSettings(publish.lanes(), publish.maxBatch(), publish.maxPendingPerLane()));
	}

	@Bean
	RetentionPruner retentionPruner(EventStore eventStore, TaskStore taskStore) {
		return new RetentionPruner(eventStore, taskStore, this.properties.history());
	}

	@Bean
	@Conditional(ClusterModeCondition.class)
	BrokerProbe brokerProbe(Broker broker, MeterRegistry meters) {
		GatewayProperties.Redis redis = this.properties.redis();
		return new BrokerProbe((RedisBroker) broker, redis.probeInterval(), redis.probeTimeout(), meters);
	}

	@Bean
	@Conditional(ClusterModeCondition.class)
	ReactiveHealthIndicator redisHealthIndicator(Broker broker, BrokerProbe brokerProbe) {
		return new CachedHealthIndicator(new RedisHealthIndicator((RedisBroker) broker, brokerProbe),
				this.properties.health().cacheTimeToLive());
	}

	@Bean
	ReactiveHealthIndicator storeHealthIndicator(ConnectionPool storeConnectionPool) {
		return new CachedHealthIndicator(new StoreHealthIndicator(storeConnectionPool),
				this.properties.health().cacheTimeToLive());
	}

}
