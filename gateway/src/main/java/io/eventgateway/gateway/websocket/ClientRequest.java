package io.eventgateway.gateway.websocket;

/** One decoded client message. */
public sealed interface ClientRequest {

	/** The client's correlation id, echoed in the reply; may be {@code null}. */
	String ref();

	record Join(String ref, String room, Long since, String epoch) implements ClientRequest {
	}

	record Leave(String ref, String room) implements ClientRequest {
	}

	/** {@code data} is the JSON text of the payload; {@code id} the publisher's event id, or {@code null}. */
	record Publish(String ref, String room, String event, String data, boolean isVolatile, String id) implements ClientRequest {
	}

	record Ping(String ref) implements ClientRequest {
	}

	/** A fresh token for the connection, of the same user. */
	record Refresh(String ref, String token) implements ClientRequest {
	}

	/** A message that could not be accepted, with the error to answer it. */
	record Invalid(String ref, ErrorCode code, String message) implements ClientRequest {
	}

}
