package io.eventgateway.gateway.testing;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.GZIPInputStream;

import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** One real HTTP request to a gateway, built up fluently, and its answer. */
public final class HttpCall {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final HttpClient CLIENT = HttpClient.create();

	private final int port;

	private final String method;

	private final String path;

	private final Map<String, String> headers = new LinkedHashMap<>();

	private String body;

	private HttpCall(int port, String method, String path) {
		this.port = port;
		this.method = method;
		this.path = path;
		this.headers.put("Content-Type", "application/json");
	}

	public static HttpCall to(int port, String method, String path) {
		return new HttpCall(port, method, path);
	}

	public HttpCall token(String token) {
		return header("Authorization", "Bearer " + token);
	}

	public HttpCall header(String name, String value) {
		this.headers.put(name, value);
		return this;
	}

	public HttpCall body(String json) {
		this.body = json;
		return this;
	}

	public Answer send() {
		return CLIENT.headers(out -> this.headers.forEach(out::set))
			.request(HttpMethod.valueOf(this.method))
			.uri("http://127.0.0.1:" + this.port + this.path)
			.send((request, out) -> this.body == null ? out : out.sendString(Mono.just(this.body)))
			.responseSingle((response, content) -> content.asByteArray()
				.defaultIfEmpty(new byte[0])
				.map(bytes -> new Answer(response.status().code(), response.responseHeaders(),
						parse(response.responseHeaders().get("Content-Type"),
								"gzip".equals(response.responseHeaders().get("Content-Encoding")) ? gunzip(bytes) : bytes))))
			.block(Duration.ofSeconds(15));
	}

	// JSON answers as a tree, anything else (a page, text) as one string node.
	private static JsonNode parse(String contentType, byte[] bytes) {
		if (bytes.length == 0) {
			return JSON.nullNode();
		}
		return (contentType != null && contentType.contains("json")) ? JSON.readTree(bytes)
				: JSON.getNodeFactory().stringNode(new String(bytes, java.nio.charset.StandardCharsets.UTF_8));
	}

	private static byte[] gunzip(byte[] bytes) {
		try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(bytes))) {
			return in.readAllBytes();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	public record Answer(int status, HttpHeaders headers, JsonNode body) {

		public String header(String name) {
			return this.headers.get(name);
		}

		public String contentType() {
			return header("Content-Type");
		}

	}

}
