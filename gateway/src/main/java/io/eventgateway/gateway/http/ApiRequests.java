package io.eventgateway.gateway.http;

import java.util.List;

import io.eventgateway.core.auth.ClientIdentity;
import io.eventgateway.core.event.Names;
import io.eventgateway.gateway.auth.InvalidTokenException;
import io.eventgateway.gateway.auth.TokenService;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.web.reactive.function.BodyExtractors;
import org.springframework.web.reactive.function.server.ServerRequest;
import reactor.core.publisher.Mono;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/** What every API request needs: the caller's identity, bounded JSON bodies, query numbers. */
public final class ApiRequests {

	private static final String IDENTITY = ApiRequests.class.getName() + ".identity";

	private static final String IDEMPOTENCY_KEY = "Idempotency-Key";

	private final TokenService tokens;

	private final ObjectMapper json;

	private final int maxBodyBytes;

	public ApiRequests(TokenService tokens, ObjectMapper json, int maxBodyBytes) {
		this.tokens = tokens;
		this.json = json;
		this.maxBodyBytes = maxBodyBytes;
	}

	/** The verified caller, or {@code null} without a valid token. */
	public ClientIdentity identityOrNull(ServerRequest request) {
		return (verified(request) instanceof ClientIdentity identity) ? identity : null;
	}

	/** The verified caller; a request without a valid token is answered 401 with the reason. */
	public ClientIdentity identity(ServerRequest request) {
		Object verified = verified(request);
		if (verified instanceof InvalidTokenException refused) {
			throw new ApiException(HttpStatus.UNAUTHORIZED, "unauthorized", refused.getMessage());
		}
		return (ClientIdentity) verified;
	}

	// The token is verified once per request (the rate limit and the handler both ask): the
	// identity, or why there is none, is kept with the request.
	private Object verified(ServerRequest request) {
		return request.attributes().computeIfAbsent(IDENTITY, key -> {
			try {
				return this.tokens.verify(bearer(request));
			}
			catch (InvalidTokenException ex) {
				return ex;
			}
		});
	}

	/** The body as JSON, refused with 413 past the size limit and 400 when it is not JSON. */
	public Mono<JsonNode> jsonBody(ServerRequest request) {
		long declared = request.headers().contentLength().orElse(-1);
		if (declared > this.maxBodyBytes) {
			return Mono.error(tooLarge());
		}
		return DataBufferUtils.join(request.body(BodyExtractors.toDataBuffers()), this.maxBodyBytes)
			.map(buffer -> {
				try (var input = buffer.asInputStream(true)) {
					return this.json.readTree(input);
				}
				catch (JacksonException | java.io.IOException | NumberFormatException ex) {
					throw new ApiException(HttpStatus.BAD_REQUEST, "bad-request", "the body is not JSON");
				}
			})
			.switchIfEmpty(Mono.error(() -> new ApiException(HttpStatus.BAD_REQUEST, "bad-request", "a JSON body is required")))
			.onErrorMap(DataBufferLimitException.class, error -> tooLarge());
	}

	private ApiException tooLarge() {
		return new ApiException(HttpStatus.CONTENT_TOO_LARGE, "too-large", "the body is larger than " + this.maxBodyBytes + " bytes");
	}

	/** The request's {@code Idempotency-Key} (an event id's pattern), or {@code null}; an ill-formed one is a 400. */
	public static String idempotencyKey(ServerRequest request) {
		String key = request.headers().firstHeader(IDEMPOTENCY_KEY);
		if (key != null && !Names.isValidEventId(key)) {
			throw ApiException.badField(IDEMPOTENCY_KEY, "must match ^[A-Za-z0-9._:-]{1,64}$");
		}
		return key;
	}

	public static long number(ServerRequest request, String name, long min, long max, long fallback) {
		String value = request.queryParam(name).orElse(null);
		if (value == null) {
			return fallback;
		}
		try {
			long parsed = Long.parseLong(value);
			if (parsed >= min && parsed <= max) {
				return parsed;
			}
		}
		catch (NumberFormatException ignored) {
			// Answered below.
		}
		throw ApiException.badField(name, "must be an integer from " + min + " to " + max);
	}

	private static String bearer(ServerRequest request) {
		List<String> headers = request.headers().header(HttpHeaders.AUTHORIZATION);
		String header = headers.isEmpty() ? null : headers.get(0);
		return (header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)) ? header.substring(7).trim() : null;
	}

}
