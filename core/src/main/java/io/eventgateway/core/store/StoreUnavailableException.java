package io.eventgateway.core.store;

/** A store that a request needs cannot answer now; the request was not carried out. */
public class StoreUnavailableException extends RuntimeException {

	public StoreUnavailableException(String message, Throwable cause) {
		super(message, cause);
	}

	public StoreUnavailableException(String message) {
		super(message);
	}

}
