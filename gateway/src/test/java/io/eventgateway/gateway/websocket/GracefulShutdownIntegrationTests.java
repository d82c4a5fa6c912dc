package io.eventgateway.gateway.websocket;

import io.eventgateway.gateway.GatewayApplication;
import io.eventgateway.gateway.testing.TestClient;
import io.eventgateway.gateway.testing.TestTokens;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/** Shutting the gateway down closes every connection with 1012 so clients reconnect elsewhere. */
class GracefulShutdownIntegrationTests {

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
