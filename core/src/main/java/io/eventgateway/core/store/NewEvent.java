package io.eventgateway.core.store;

/** A durable event accepted for storage, before it has its {@code seq}. */
public record NewEvent(String room, String event, String data, long timestamp) {
}
