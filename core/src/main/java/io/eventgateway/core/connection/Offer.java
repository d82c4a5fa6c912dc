package io.eventgateway.core.connection;

/** The outcome of queueing a message for a connection. */
public enum Offer {

	QUEUED,

	/** A volatile message met a queue past its volatile share and was dropped. */
	DROPPED,

	/** A durable message did not fit: the connection is being closed as a slow consumer. */
	OVERFLOW,

	/** The connection is closing; the message was not queued. */
	CLOSED

}
