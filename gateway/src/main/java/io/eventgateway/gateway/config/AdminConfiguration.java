package io.eventgateway.gateway.config;

import io.eventgateway.core.room.RoomRegistry;
import io.eventgateway.gateway.admin.GatewayAdminEndpoint;
import io.eventgateway.gateway.websocket.ConnectionRegistry;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The operator's view of an instance, on the management side. */
@Configuration(proxyBeanMethods = false)
public class AdminConfiguration {

	@Bean
	GatewayAdminEndpoint gatewayAdminEndpoint(RoomRegistry roomRegistry, ConnectionRegistry connectionRegistry) {
		return new GatewayAdminEndpoint(roomRegistry, connectionRegistry);
	}

}
