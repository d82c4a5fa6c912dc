package io.eventgateway.gateway.config;

import io.eventgateway.core.publish.EventPublisher;
import io.eventgateway.gateway.metrics.GatewayMeters;
import io.eventgateway.gateway.metrics.MeterDescriptions;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.binder.netty4.NettyAllocatorMetrics;
import io.micrometer.core.instrument.config.MeterFilter;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufAllocatorMetricProvider;
import io.r2dbc.pool.ConnectionPool;
import io.r2dbc.pool.PoolMetrics;
import org.springframework.boot.availability.ApplicationAvailability;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * How meters are exposed: applied by Spring Boot to every registry, before any meter is made; and
 * the meters of parts that have no binder of their own in Spring Boot (each bound to every registry).
 */
@Configuration(proxyBeanMethods = false)
public class MetricsConfiguration {

	@Bean
	MeterFilter meterDescriptions() {
		return new MeterDescriptions();
	}

	@Bean
	MeterBinder readinessMeter(ApplicationAvailability availability) {
		return meters -> Gauge
			.builder(GatewayMeters.READY, availability,
					a -> (a.getReadinessState() == ReadinessState.ACCEPTING_TRAFFIC) ? 1 : 0)
			.register(meters);
	}

	@Bean
	MeterBinder publishBacklogMeters(EventPublisher publisher) {
		return meters -> {
			for (int lane = 0; lane < publisher.lanes(); lane++) {
				int index = lane;
				Gauge.builder(GatewayMeters.PUBLISH_BACKLOG, publisher, p -> p.backlog(index))
					.tag("lane", String.valueOf(lane))
					.register(meters);
			}
		};
	}

	/** r2dbc-pool keeps its own counts; Spring Boot's binder for them needs its R2DBC module, not used here. */
	@Bean
	MeterBinder storePoolMeters(ConnectionPool storeConnectionPool) {
		return meters -> storeConnectionPool.getMetrics().ifPresent(pool -> {
			Gauge.builder(GatewayMeters.STORE_POOL_CONNECTIONS, pool, PoolMetrics::acquiredSize).tag("state", "acquired")
				.register(meters);
			Gauge.builder(GatewayMeters.STORE_POOL_CONNECTIONS, pool, PoolMetrics::idleSize).tag("state", "idle")
				.register(meters);
			Gauge.builder(GatewayMeters.STORE_POOL_PENDING, pool, PoolMetrics::pendingAcquireSize).register(meters);
			Gauge.builder(GatewayMeters.STORE_POOL_MAX, pool, PoolMetrics::getMaxAllocatedSize).register(meters);
		});
	}

	/** The buffers of the WebSocket and HTTP traffic come from Netty's default allocator. */
	@Bean
	MeterBinder nettyAllocatorMeters() {
		return meters -> {
			if (ByteBufAllocator.DEFAULT instanceof ByteBufAllocatorMetricProvider allocator) {
				new NettyAllocatorMetrics(allocator).bindTo(meters);
			}
		};
	}

}
