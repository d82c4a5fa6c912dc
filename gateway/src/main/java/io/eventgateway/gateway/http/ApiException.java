package io.eventgateway.gateway.http;

import org.springframework.http.HttpStatus;

/** A request the API answers with an RFC 9457 problem: its status, stable type name and detail. */
public class ApiException extends RuntimeException {

	private final HttpStatus status;

	private final String type;

	public ApiException(HttpStatus status, String type, String detail) {
		super(detail, null, false, false);
		this.status = status;
		this.type = type;
	}

	public HttpStatus status() {
		return this.status;
	}

	public String type() {
		return this.type;
	}

}
