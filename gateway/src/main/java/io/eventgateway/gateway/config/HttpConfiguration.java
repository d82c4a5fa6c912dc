package io.eventgateway.gateway.config;

import java.time.Clock;

import io.eventgateway.core.publish.EventPublisher;
import io.eventgateway.core.room.Presence;
import io.eventgateway.core.store.EventStore;
import io.eventgateway.gateway.auth.TokenService;
import io.eventgateway.gateway.http.RoomApi;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.ServerResponse;
import tools.jackson.databind.json.JsonMapper;

/** The HTTP API's routes. */
@Configuration(proxyBeanMethods = false)
public class HttpConfiguration {

	@Bean
	RouterFunction<ServerResponse> roomApiRoutes(TokenService tokens, EventStore store, EventPublisher publisher,
			Presence presence, JsonMapper json, Clock clock, GatewayProperties properties) {
		return new RoomApi(tokens, store, publisher, presence, json, (int) properties.ws().maxDataSize().toBytes(), clock)
			.routes();
	}

}
