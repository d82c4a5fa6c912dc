package io.eventgateway.core.publish;

/** A durable publish that was refused before reaching the store, because too many are waiting. */
public class PublishRejectedException extends RuntimeException {

	public PublishRejectedException(String message) {
		super(message, null, false, false);
	}

}
