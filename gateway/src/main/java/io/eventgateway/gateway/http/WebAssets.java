package io.eventgateway.gateway.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.http.CacheControl;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.server.RequestPredicate;
import org.springframework.web.reactive.function.server.RequestPredicates;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;

/**
 * The browser client ({@code /client/gateway-client.js} and its TypeScript declarations) and the
 * demo page ({@code /demo/}), read from the jar once at start-up and answered from memory: no
 * request searches the classpath or reads a file on an event loop.
 */
public final class WebAssets {

	private static final List<String> CLIENT_FILES = List.of("gateway-client.js", "gateway-client.d.ts");

	private static final List<String> DEMO_FILES = List.of("index.html", "demo.js", "demo.css");

	// The demo's URL carries a token: no other origin may learn it from a Referer, frame the page or run script in it.
	private static final String DEMO_POLICY = "default-src 'self'; connect-src 'self'; img-src 'self' data:; "
			+ "style-src 'self'; script-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

	private final Map<String, Asset> client;

	private final Map<String, Asset> demo;

	private WebAssets(Map<String, Asset> client, Map<String, Asset> demo) {
		this.client = client;
		this.demo = demo;
	}

	/** Loads the files from {@code web/} on the classpath; the demo's only when it is served. */
	public static WebAssets load(boolean withDemo) {
		return new WebAssets(read("web/client/", CLIENT_FILES), withDemo ? read("web/demo/", DEMO_FILES) : Map.of());
	}

	public RouterFunction<ServerResponse> routes() {
		RouterFunctions.Builder routes = RouterFunctions.route()
			.route(read("/client/{file}"), request -> serve(request, this.client.get(request.pathVariable("file")), true));
		if (!this.demo.isEmpty()) {
			routes.route(read("/demo"), request -> ServerResponse.status(HttpStatus.MOVED_PERMANENTLY)
				.header(HttpHeaders.LOCATION, "/demo/")
				.build());
			routes.route(read("/demo/"), request -> serve(request, this.demo.get("index.html"), false));
			routes.route(read("/demo/{file}"), request -> serve(request, this.demo.get(request.pathVariable("file")), false));
		}
		return routes.build();
	}

	/** GET, and HEAD (answered with the same headers and no body). */
	private static RequestPredicate read(String pattern) {
		return RequestPredicates.GET(pattern).or(RequestPredicates.HEAD(pattern));
	}

	private static Mono<ServerResponse> serve(ServerRequest request, Asset asset, boolean anyOrigin) {
		if (asset == null) {
			return ServerResponse.notFound().build();
		}
		boolean unchanged = request.headers().header(HttpHeaders.IF_NONE_MATCH).contains(asset.etag());
		ServerResponse.BodyBuilder response = unchanged ? ServerResponse.status(HttpStatus.NOT_MODIFIED) : ServerResponse.ok();
		headers(response, asset, anyOrigin);
		if (unchanged) {
			return response.build();
		}
		return response.contentType(asset.type()).bodyValue(asset.bytes());
	}

	private static void headers(ServerResponse.BodyBuilder response, Asset asset, boolean anyOrigin) {
		response.eTag(asset.etag())
			// Revalidated on every load (a 304 when unchanged): a new gateway version is picked up at once.
			.cacheControl(CacheControl.noCache())
			.header("X-Content-Type-Options", "nosniff");
		if (anyOrigin) {
			// A module script of another origin is fetched with CORS; the file is public and carries no credentials.
			response.header(HttpHeaders.ACCESS_CONTROL_ALLOW_ORIGIN, "*");
		}
		else {
			response.header("Content-Security-Policy", DEMO_POLICY)
				.header("Referrer-Policy", "no-referrer")
				.header("X-Frame-Options", "DENY");
		}
	}

	private static Map<String, Asset> read(String folder, List<String> names) {
		Map<String, Asset> assets = new LinkedHashMap<>();
		for (String name : names) {
			try (InputStream in = WebAssets.class.getClassLoader().getResourceAsStream(folder + name)) {
				if (in == null) {
					throw new IllegalStateException(folder + name + " is missing from the build");
				}
				byte[] bytes = in.readAllBytes();
				assets.put(name, new Asset(bytes, typeOf(name), etag(bytes)));
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		}
		return Map.copyOf(assets);
	}

	private static MediaType typeOf(String name) {
		if (name.endsWith(".js")) {
			return new MediaType("text", "javascript", StandardCharsets.UTF_8);
		}
		if (name.endsWith(".ts")) {
			return new MediaType("application", "typescript", StandardCharsets.UTF_8);
		}
		if (name.endsWith(".css")) {
			return new MediaType("text", "css", StandardCharsets.UTF_8);
		}
		return new MediaType("text", "html", StandardCharsets.UTF_8);
	}

	private static String etag(byte[] bytes) {
		try {
			byte[] digest = MessageDigest.getInstance("SHA-256").digest(bytes);
			return "\"" + HexFormat.of().formatHex(digest, 0, 12) + "\"";
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private record Asset(byte[] bytes, MediaType type, String etag) {
	}

}
