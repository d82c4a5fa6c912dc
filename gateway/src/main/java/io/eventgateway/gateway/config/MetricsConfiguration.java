package io.eventgateway.gateway.config;

import io.eventgateway.gateway.metrics.MeterDescriptions;
import io.micrometer.core.instrument.config.MeterFilter;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** How meters are exposed: applied by Spring Boot to every registry, before any meter is made. */
@Configuration(proxyBeanMethods = false)
public class MetricsConfiguration {

	@Bean
	MeterFilter meterDescriptions() {
		return new MeterDescriptions();
	}

}
