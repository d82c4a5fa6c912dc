package io.eventgateway.gateway.client;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import io.eventgateway.gateway.testing.GatewayInstance;
import io.eventgateway.gateway.testing.MissingPrerequisite;
import io.eventgateway.gateway.testing.TestTokens;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The demo page ({@code /demo/}) in headless Chromium, driven by Playwright ({@code client/e2e}),
 * against a real gateway on its embedded default. Screenshots are kept in
 * {@code target/client-tests/screenshots}.
 */
class BrowserDemoTests {

	private static final Path CHROMIUM = Path.of(System.getenv().getOrDefault("CHROMIUM", "/usr/bin/chromium"));

	@Test
	void theDemoStaysLiveAcrossOfflineSpellsAndServerClosesInARealBrowser() throws Exception {
		if (!Files.isExecutable(CHROMIUM)) {
			throw new MissingPrerequisite("Chromium is needed for the browser tests (apt-get install chromium), or set CHROMIUM");
		}
		NodeTestRun.ensurePackages();
		Path screenshots = Path.of("target", "client-tests", "screenshots").toAbsolutePath();
		try (GatewayInstance gateway = GatewayInstance.start();
				GatewayControl control = GatewayControl.start(List.of(gateway))) {
			NodeTestRun.Result result = NodeTestRun.run("e2e", "browser-demo",
					Map.of("GATEWAY_HTTP_URL", "http://127.0.0.1:" + gateway.port(), "GATEWAY_JWT_SECRET",
							TestTokens.SECRET, "GATEWAY_CONTROL_URL", control.url(), "CHROMIUM", CHROMIUM.toString(),
							"SCREENSHOT_DIR", screenshots.toString()));
			assertThat(result.exitCode()).as("node --test client/e2e:\n%s", result.tail()).isZero();
			assertThat(result.output()).contains("ℹ fail 0").doesNotContain("ℹ pass 0");
			assertThat(screenshots.resolve("demo-board.png")).isNotEmptyFile();
		}
	}

}
