package io.eventgateway.gateway.http;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;

import io.eventgateway.gateway.testing.GatewayInstance;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The browser client and the demo page as the gateway serves them: types, caching, policies. */
class WebAssetsIntegrationTests {

	private static final HttpClient HTTP = HttpClient.newHttpClient();

	private static GatewayInstance gateway;

	@BeforeAll
	static void start() {
		gateway = GatewayInstance.start();
	}

	@AfterAll
	static void stop() {
		gateway.close();
	}

	static HttpResponse<String> get(GatewayInstance on, String path, String... headers) throws Exception {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + on.port() + path));
		if (headers.length > 0) {
			request.headers(headers);
		}
		return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

	@Test
	void theClientIsServedAsTheRepositorysFileToAnyOriginWithAnEtagThatAnswers304() throws Exception {
		HttpResponse<String> client = get(gateway, "/client/gateway-client.js");
		assertThat(client.statusCode()).isEqualTo(200);
		assertThat(client.headers().firstValue("Content-Type")).hasValue("text/javascript;charset=UTF-8");
		assertThat(client.headers().firstValue("Access-Control-Allow-Origin")).hasValue("*");
		assertThat(client.headers().firstValue("Cache-Control")).hasValue("no-cache");
		assertThat(client.body()).isEqualTo(Files.readString(Path.of("..", "client", "src", "gateway-client.js")));

		String etag = client.headers().firstValue("ETag").orElseThrow();
		HttpResponse<String> again = get(gateway, "/client/gateway-client.js", "If-None-Match", etag);
		assertThat(again.statusCode()).isEqualTo(304);
		assertThat(again.body()).isEmpty();

		HttpResponse<String> types = get(gateway, "/client/gateway-client.d.ts");
		assertThat(types.statusCode()).isEqualTo(200);
		assertThat(types.body()).contains("export declare class GatewayClient");
	}

	@Test
	void theDemoPageForbidsFramingForeignScriptsAndReferrersThatWouldCarryItsToken() throws Exception {
		HttpResponse<String> page = get(gateway, "/demo/");
		assertThat(page.statusCode()).isEqualTo(200);
		assertThat(page.headers().firstValue("Content-Type")).hasValue("text/html;charset=UTF-8");
		assertThat(page.body()).contains("<script type=\"module\" src=\"demo.js\">");
		assertThat(page.headers().firstValue("Referrer-Policy")).hasValue("no-referrer");
		assertThat(page.headers().firstValue("Content-Security-Policy").orElseThrow())
			.contains("script-src 'self'", "frame-ancestors 'none'");
		assertThat(page.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
		assertThat(get(gateway, "/demo/demo.js").headers().firstValue("Content-Type")).hasValue("text/javascript;charset=UTF-8");
		assertThat(get(gateway, "/demo/demo.css").headers().firstValue("Content-Type")).hasValue("text/css;charset=UTF-8");

		HttpResponse<String> bare = get(gateway, "/demo");
		assertThat(bare.statusCode()).isEqualTo(301);
		assertThat(bare.headers().firstValue("Location")).hasValue("/demo/");
	}

	@Test
	void aFileThatIsNotOneOfTheAssetsIsAProblemNotAClasspathLookup() throws Exception {
		for (String path : new String[] { "/client/application.yml", "/client/..%2Fapplication.yml", "/demo/missing.js",
				"/client/" }) {
			HttpResponse<String> answer = get(gateway, path);
			assertThat(answer.statusCode()).as(path).isEqualTo(404);
		}
	}

}
