package io.eventgateway.gateway.health;

import java.util.Map;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.actuate.autoconfigure.web.server.ManagementPortType;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Health details (which dependency is down, and its error) only where operators reach: on a
 * management port of its own ({@code management.server.port}) always, on the public port never,
 * where anyone may ask. A {@code management.endpoint.health.show-details} set anywhere wins: this
 * is the last source looked at.
 */
public final class HealthDetailsPlacement implements EnvironmentPostProcessor {

	static final String SHOW_DETAILS = "management.endpoint.health.show-details";

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		String show = (ManagementPortType.get(environment) == ManagementPortType.DIFFERENT) ? "always" : "never";
		environment.getPropertySources().addLast(new MapPropertySource("gatewayHealthDetails", Map.of(SHOW_DETAILS, show)));
	}

}
