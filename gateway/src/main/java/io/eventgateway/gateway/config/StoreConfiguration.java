package io.eventgateway.gateway.config;

import java.util.UUID;

import io.eventgateway.core.broker.Broker;
import io.eventgateway.core.broker.LocalBroker;
import io.eventgateway.core.publish.EventPublisher;
import io.eventgateway.core.publish.PublishSettings;
import io.eventgateway.core.room.RoomRegistry;
import io.eventgateway.core.store.EventStore;
import io.eventgateway.gateway.store.RetentionPruner;
import io.eventgateway.gateway.store.StoreHealthIndicator;
import io.eventgateway.persistence.R2dbcEventStore;
import io.eventgateway.persistence.StoreConnections;
import io.eventgateway.persistence.StoreMigrations;
import io.r2dbc.pool.ConnectionPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import reactor.core.scheduler.Schedulers;

/**
 * The one place where the gateway's ports get their adapters: the embedded default (H2 through
 * R2DBC, in-process broker) or the external services named by configuration.
 */
@Configuration(proxyBeanMethods = false)
public class StoreConfiguration {

	private static final Logger logger = LoggerFactory.getLogger(StoreConfiguration.class);

	@Bean(destroyMethod = "dispose")
	ConnectionPool storeConnectionPool(GatewayProperties properties) {
		String url = storeUrl(properties);
		StoreMigrations.migrate(url);
		logger.info("event store: {}", StoreConnections.isEmbedded(url) ? "embedded H2 (in memory unless a file URL is set)" : url.replaceAll("//[^@/]*@", "//***@"));
		return StoreConnections.pool(url, 1, properties.database().poolMaxSize(), properties.database().acquireTimeout());
	}

	@Bean
	EventStore eventStore(ConnectionPool storeConnectionPool, GatewayProperties properties) {
		// The H2 driver runs statements on the subscribing thread, and they may block: keep them off
		// the event loops. PostgreSQL's driver is non-blocking.
		R2dbcEventStore store = new R2dbcEventStore(storeConnectionPool,
				StoreConnections.isEmbedded(storeUrl(properties)) ? Schedulers.boundedElastic() : Schedulers.immediate());
		store.initialize().block();
		return store;
	}

	@Bean
	RoomRegistry roomRegistry() {
		return new RoomRegistry();
	}

	@Bean
	Broker broker(RoomRegistry roomRegistry) {
		return new LocalBroker(roomRegistry);
	}

	@Bean
	EventPublisher eventPublisher(EventStore eventStore, Broker broker, GatewayProperties properties) {
		GatewayProperties.Publish publish = properties.publish();
		return new EventPublisher(eventStore, broker,
				new PublishSettings(publish.lanes(), publish.maxBatch(), publish.maxPendingPerLane()));
	}

	@Bean
	RetentionPruner retentionPruner(EventStore eventStore, GatewayProperties properties) {
		return new RetentionPruner(eventStore, properties.history());
	}

	@Bean
	StoreHealthIndicator storeHealthIndicator(ConnectionPool storeConnectionPool) {
		return new StoreHealthIndicator(storeConnectionPool);
	}

	private static String storeUrl(GatewayProperties properties) {
		String url = properties.database().url();
		if (url == null || url.isBlank()) {
			return EmbeddedStore.url(EMBEDDED_NAME);
		}
		return url;
	}

	// One name per application context, so that several gateways in one JVM (tests) stay apart.
	private static final String EMBEDDED_NAME = "gateway-" + UUID.randomUUID();

}
