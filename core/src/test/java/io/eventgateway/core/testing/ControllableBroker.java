package io.eventgateway.core.testing;

import java.util.ArrayList;
import java.util.List;

import io.eventgateway.core.broker.Broker;
import io.eventgateway.core.broker.EventDelivery;
import io.eventgateway.core.event.RoomEvent;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * A broker whose subscriptions the test completes or fails, like Redis answering a SUBSCRIBE later.
 * It carries an event only to rooms whose subscription it confirmed, as Redis pub/sub does: what is
 * published before that is not delivered.
 */
public final class ControllableBroker implements Broker {

	private final EventDelivery delivery;

	private final List<String> calls = new ArrayList<>();

	private final List<Sinks.Empty<Void>> pending = new ArrayList<>();

	private final List<String> active = new ArrayList<>();

	public ControllableBroker(EventDelivery delivery) {
		this.delivery = delivery;
	}

	@Override
	public Mono<Void> publish(RoomEvent event) {
		boolean carried;
		synchronized (this) {
			carried = this.active.contains(event.room());
		}
		if (carried) {
			this.delivery.deliver(event);
		}
		return Mono.empty();
	}

	@Override
	public Mono<Void> subscribe(String room) {
		return Mono.defer(() -> {
			Sinks.Empty<Void> answer = Sinks.empty();
			synchronized (this) {
				this.calls.add("subscribe " + room);
				this.pending.add(answer);
			}
			return answer.asMono().doOnSuccess(ignored -> {
				synchronized (this) {
					this.active.add(room);
				}
			});
		});
	}

	@Override
	public Mono<Void> unsubscribe(String room) {
		return Mono.fromRunnable(() -> {
			synchronized (this) {
				this.calls.add("unsubscribe " + room);
				this.active.remove(room);
			}
		});
	}

	/** Confirms the oldest subscribe waiting for its answer. */
	public void confirmSubscribe() {
		answer().tryEmitEmpty();
	}

	/** Fails the oldest subscribe waiting for its answer. */
	public void failSubscribe(RuntimeException error) {
		answer().tryEmitError(error);
	}

	private synchronized Sinks.Empty<Void> answer() {
		if (this.pending.isEmpty()) {
			throw new IllegalStateException("no subscribe is waiting");
		}
		return this.pending.remove(0);
	}

	/** Every subscribe and unsubscribe the broker was asked for, in order. */
	public synchronized List<String> calls() {
		return List.copyOf(this.calls);
	}

	public synchronized int pendingSubscribes() {
		return this.pending.size();
	}

}
