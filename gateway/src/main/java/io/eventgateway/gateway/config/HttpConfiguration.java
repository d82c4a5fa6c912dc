package io.eventgateway.gateway.config;

import java.time.Clock;
import java.time.Duration;
import java.util.List;

import io.eventgateway.core.publish.EventPublisher;
import io.eventgateway.core.ratelimit.RateLimiter;
import io.eventgateway.core.room.Presence;
import io.eventgateway.core.store.EventStore;
import io.eventgateway.core.task.TaskService;
import io.eventgateway.core.task.TaskStore;
import io.eventgateway.gateway.auth.TokenService;
import io.eventgateway.gateway.http.ApiDocumentation;
import io.eventgateway.gateway.http.ApiRequests;
import io.eventgateway.gateway.http.HttpRequestTimeout;
import io.eventgateway.gateway.http.ProblemFilter;
import io.eventgateway.gateway.http.RateLimitFilter;
import io.eventgateway.gateway.http.RoomApi;
import io.eventgateway.gateway.http.TaskApi;
import io.eventgateway.gateway.http.WebAssets;
import io.eventgateway.gateway.net.ClientAddresses;
import io.eventgateway.gateway.task.TaskJson;
import io.eventgateway.gateway.taskfile.TaskWriteBack;
import io.micrometer.core.instrument.MeterRegistry;
import io.swagger.v3.oas.models.OpenAPI;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.reactor.netty.NettyServerCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpHeaders;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.cors.reactive.CorsWebFilter;
import org.springframework.web.cors.reactive.UrlBasedCorsConfigurationSource;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.netty.http.server.ProxyProtocolSupportType;
import tools.jackson.databind.json.JsonMapper;

/** The HTTP API's routes, each behind the rate limit and answering failures with problems. */
@Configuration(proxyBeanMethods = false)
public class HttpConfiguration {

	@Bean
	ApiRequests apiRequests(TokenService tokens, JsonMapper json, GatewayProperties properties) {
		return new ApiRequests(tokens, json, (int) properties.http().maxBodySize().toBytes());
	}

	@Bean
	ClientAddresses clientAddresses(GatewayProperties properties) {
		return new ClientAddresses(properties.clientAddress().trustedProxyRanges());
	}

	/** Behind HAProxy or a load balancer that sends the PROXY protocol, its source is the peer. */
	@Bean
	NettyServerCustomizer proxyProtocol(GatewayProperties properties) {
		ProxyProtocolSupportType support = properties.clientAddress().proxyProtocol() ? ProxyProtocolSupportType.ON
				: ProxyProtocolSupportType.OFF;
		return server -> server.proxyProtocol(support);
	}

	/** Half-sent requests and idle keep-alive connections are closed instead of held. */
	@Bean
	NettyServerCustomizer httpRequestTimeout(GatewayProperties properties) {
		GatewayProperties.Http http = properties.http();
		return server -> server.doOnChannelInit((observer, channel, remoteAddress) -> HttpRequestTimeout
			.install(channel.pipeline(), http.idleTimeout(), http.requestReadTimeout()));
	}

	/**
	 * Browser pages of the listed origins may call the API (preflights answered here, before any
	 * token is asked for); with none listed, no CORS header is sent and browsers keep to the same origin.
	 */
	@Bean
	CorsWebFilter apiCors(GatewayProperties properties) {
		List<String> origins = properties.http().corsAllowedOrigins();
		UrlBasedCorsConfigurationSource source = new UrlBasedCorsConfigurationSource();
		if (!origins.isEmpty()) {
			CorsConfiguration cors = new CorsConfiguration();
			cors.setAllowedOriginPatterns(origins);
			cors.setAllowedMethods(List.of("GET", "POST", "PATCH", "DELETE"));
			cors.setAllowedHeaders(List.of(HttpHeaders.AUTHORIZATION, HttpHeaders.CONTENT_TYPE, HttpHeaders.IF_MATCH,
					HttpHeaders.IF_NONE_MATCH, HttpHeaders.CACHE_CONTROL, "Idempotency-Key"));
			cors.setExposedHeaders(List.of(HttpHeaders.ETAG, HttpHeaders.LOCATION, HttpHeaders.RETRY_AFTER, "X-Cache",
					"X-Room-Seq", "X-Room-Epoch"));
			cors.setMaxAge(Duration.ofHours(1));
			source.registerCorsConfiguration("/api/**", cors);
		}
		return new CorsWebFilter(source);
	}

	@Bean
	OpenAPI apiDocumentation() {
		return ApiDocumentation.openApi();
	}

	@Bean
	RouterFunction<ServerResponse> apiRoutes(ApiRequests requests, EventStore store, EventPublisher publisher,
			Presence presence, TaskStore tasks, TaskService taskService, TaskJson taskJson, RateLimiter httpRateLimiter,
			ObjectProvider<TaskWriteBack> writeBack, MeterRegistry meters, JsonMapper json, Clock clock,
			ClientAddresses clientAddresses, GatewayProperties properties) {
		RoomApi rooms = new RoomApi(requests, store, publisher, presence, json, properties.ws().maxDataBytes(),
				(int) properties.history().maxPageSize().toBytes(), clock);
		TaskApi taskApi = new TaskApi(requests, tasks, taskService, taskJson, json, writeBack.getIfAvailable(() -> TaskWriteBack.NONE),
				meters, clock);
		return rooms.routes()
			.and(taskApi.routes())
			.filter(new RateLimitFilter(requests, httpRateLimiter, clientAddresses, meters))
			.filter(new ProblemFilter(json));
	}

	/** The browser client and, on the embedded default, the demo page; outside the API's rate limit and problems. */
	@Bean
	RouterFunction<ServerResponse> webAssetRoutes(GatewayProperties properties) {
		return WebAssets.load(properties.http().servesDemo(properties.mode())).routes();
	}

}
