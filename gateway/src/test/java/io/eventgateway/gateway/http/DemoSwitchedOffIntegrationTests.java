package io.eventgateway.gateway.http;

import io.eventgateway.gateway.testing.GatewayInstance;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Its own class: two gateways in one class would share, and stop, Reactor Netty's event loops. */
class DemoSwitchedOffIntegrationTests {

	@Test
	void theDemoCanBeSwitchedOffWhileTheClientStaysServed() throws Exception {
		try (GatewayInstance withoutDemo = GatewayInstance.start("gateway.http.demo=false")) {
			assertThat(WebAssetsIntegrationTests.get(withoutDemo, "/demo/").statusCode()).isEqualTo(404);
			assertThat(WebAssetsIntegrationTests.get(withoutDemo, "/client/gateway-client.js").statusCode()).isEqualTo(200);
		}
	}

}
