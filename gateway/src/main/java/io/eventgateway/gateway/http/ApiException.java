package io.eventgateway.gateway.http;

import java.util.List;

import org.springframework.http.HttpStatus;

/** A request the API answers with an RFC 9457 problem: its status, stable type name and detail. */
public class ApiException extends RuntimeException {

	private final HttpStatus status;

	private final String type;

	private final List<InvalidField> errors;

	private final long retryAfterSeconds;

	private final String correlationId;

	public ApiException(HttpStatus status, String type, String detail) {
		this(status, type, detail, List.of(), 0);
	}

	public ApiException(HttpStatus status, String type, String detail, List<InvalidField> errors, long retryAfterSeconds) {
		this(status, type, detail, errors, retryAfterSeconds, null);
	}

	/** @param correlationId names the log line that holds the cause, for a failure of the server's */
	public ApiException(HttpStatus status, String type, String detail, List<InvalidField> errors, long retryAfterSeconds,
			String correlationId) {
		super(detail, null, false, false);
		this.status = status;
		this.type = type;
		this.errors = List.copyOf(errors);
		this.retryAfterSeconds = retryAfterSeconds;
		this.correlationId = correlationId;
	}

	/** A 400 for one bad query parameter or path segment. */
	public static ApiException badField(String field, String message) {
		return new ApiException(HttpStatus.BAD_REQUEST, "bad-request", field + " " + message,
				List.of(new InvalidField(field, message)), 0);
	}

	public HttpStatus status() {
		return this.status;
	}

	public String type() {
		return this.type;
	}

	/** Each bad field of the request, for a validation problem. */
	public List<InvalidField> errors() {
		return this.errors;
	}

	/** What {@code Retry-After} says; 0 for none. */
	public long retryAfterSeconds() {
		return this.retryAfterSeconds;
	}

	/** The id of the log line that holds the cause; {@code null} for a refusal of the caller's. */
	public String correlationId() {
		return this.correlationId;
	}

	public record InvalidField(String field, String message) {
	}

}
