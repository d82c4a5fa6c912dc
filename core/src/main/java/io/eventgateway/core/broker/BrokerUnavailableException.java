package io.eventgateway.core.broker;

/** The broker could not carry out a subscription; the request that needed it was undone. */
public class BrokerUnavailableException extends RuntimeException {

	public BrokerUnavailableException(String message, Throwable cause) {
		super(message, cause);
	}

}
