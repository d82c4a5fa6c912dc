package io.eventgateway.gateway.websocket;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import io.eventgateway.gateway.GatewayApplication;
import io.eventgateway.gateway.testing.HttpCall;
import io.eventgateway.gateway.testing.TestClient;
import io.eventgateway.gateway.testing.TestTokens;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Shutting the gateway down closes every connection with 1012 so clients reconnect elsewhere, spread
 * over the drain window, with readiness down first.
 */
class GracefulShutdownIntegrationTests {

	@Test
	void theClosesAreSpreadOverTheDrainWindowAndReadinessIsDownMeanwhile() throws Exception {
		ConfigurableApplicationContext gateway = new SpringApplicationBuilder(GatewayApplication.class)
			.run("--server.port=0", "--" + TestTokens.SECRET_PROPERTY, "--gateway.ws.drain-window=2s");
		int port = ((WebServerApplicationContext) gateway).getWebServer().getPort();
		List<TestClient> clients = new ArrayList<>();
		ExecutorService waiters = Executors.newFixedThreadPool(40);
		try {
			for (int i = 0; i < 40; i++) {
				clients.add(TestClient.connect(port, TestTokens.forRooms("u" + i, "team-*")));
			}
			long start = System.nanoTime();
			List<Future<long[]>> closes = new ArrayList<>();
			for (TestClient client : clients) {
				closes.add(waiters.submit(() -> new long[] { client.awaitClose().code(), System.nanoTime() - start }));
			}
			Thread stopping = new Thread(gateway::close);
			stopping.start();
			await().atMost(Duration.ofSeconds(5)).until(() -> HttpCall.to(port, "GET", "/actuator/health/readiness").send()
				.status() == 503);
			List<Long> closedAfterMillis = new ArrayList<>();
			for (Future<long[]> close : closes) {
				long[] codeAndTime = close.get(30, TimeUnit.SECONDS);
				assertThat(codeAndTime[0]).isEqualTo(1012);
				closedAfterMillis.add(TimeUnit.NANOSECONDS.toMillis(codeAndTime[1]));
			}
			stopping.join(30_000);
			Collections.sort(closedAfterMillis);
			assertThat(closedAfterMillis.get(39) - closedAfterMillis.get(0)).as("spread over the 2 s window: " + closedAfterMillis)
				.isGreaterThanOrEqualTo(1_200);
			assertThat(closedAfterMillis.get(19) - closedAfterMillis.get(0)).as("not in one burst: " + closedAfterMillis)
				.isGreaterThanOrEqualTo(500);
		}
		finally {
			waiters.shutdownNow();
			clients.forEach(TestClient::close);
			gateway.close();
		}
	}

	@Test
	void aGatewayStoppedAndStartedAgainAdmitsHandshakesAndIsReadyAgain() {
		ConfigurableApplicationContext gateway = new SpringApplicationBuilder(GatewayApplication.class)
			.run("--server.port=0", "--" + TestTokens.SECRET_PROPERTY);
		try {
			gateway.stop();
			gateway.start();
			int restarted = ((WebServerApplicationContext) gateway).getWebServer().getPort();
			await().atMost(Duration.ofSeconds(10)).until(() -> HttpCall.to(restarted, "GET", "/actuator/health/readiness").send()
				.status() == 200);
			try (TestClient client = TestClient.connect(restarted, TestTokens.forRooms("u", "team-*"))) {
				client.send("{\"type\":\"ping\",\"ref\":\"1\"}");
				assertThat(client.nextOfType("pong").path("ref").asString()).isEqualTo("1");
			}
		}
		finally {
			gateway.close();
		}
	}

	@Test
	void stoppingTheGatewayClosesConnectionsWithServiceRestart() {
		ConfigurableApplicationContext gateway = new SpringApplicationBuilder(GatewayApplication.class)
			.run("--server.port=0", "--" + TestTokens.SECRET_PROPERTY);
		int port = ((WebServerApplicationContext) gateway).getWebServer().getPort();
		try (TestClient client = TestClient.connect(port, TestTokens.forRooms("u", "team-*"))) {
			client.send("{\"type\":\"join\",\"room\":\"team-1\"}");
			client.nextOfType("joined");
			gateway.close();
			assertThat(client.awaitClose().code()).isEqualTo(1012);
		}
		finally {
			gateway.close();
		}
	}

}
