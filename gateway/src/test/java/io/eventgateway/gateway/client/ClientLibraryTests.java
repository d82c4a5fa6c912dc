package io.eventgateway.gateway.client;

import java.util.List;
import java.util.Map;

import io.eventgateway.gateway.testing.GatewayInstance;
import io.eventgateway.gateway.testing.TestTokens;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The JavaScript client's own tests ({@code client/test}), run by Node against a real gateway on
 * its embedded default: framing, dedup, backoff, resume after a server-side close, reload on
 * {@code recovered:false}, idempotent re-send, in-band refresh.
 */
class ClientLibraryTests {

	@Test
	void theClientsTestsPassAgainstARealGateway() throws Exception {
		NodeTestRun.ensurePackages();
		// A short expiring notice lets the refresh test see one within seconds.
		try (GatewayInstance gateway = GatewayInstance.start("gateway.ws.expiring-notice=5s");
				GatewayControl control = GatewayControl.start(List.of(gateway))) {
			NodeTestRun.Result result = NodeTestRun.run("test", "client-library",
					Map.of("GATEWAY_HTTP_URL", "http://127.0.0.1:" + gateway.port(), "GATEWAY_JWT_SECRET",
							TestTokens.SECRET, "GATEWAY_CONTROL_URL", control.url()));
			assertThat(result.exitCode()).as("node --test client/test:\n%s", result.tail()).isZero();
			assertThat(result.output()).contains("ℹ fail 0").doesNotContain("ℹ pass 0");
		}
	}

}
