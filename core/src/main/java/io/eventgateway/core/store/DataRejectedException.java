package io.eventgateway.core.store;

/**
 * The store refused the data of a call (a value it cannot hold, a constraint the call broke): the
 * caller's fault, not the store's. It says nothing about the store's health and never opens a
 * circuit breaker; callers answer it as bad input.
 */
public class DataRejectedException extends RuntimeException {

	public DataRejectedException(String message, Throwable cause) {
		super(message, cause);
	}

}
