package io.eventgateway.gateway.websocket;

import java.time.Clock;
import java.util.List;

import io.eventgateway.core.broker.Broker;
import io.eventgateway.core.broker.BrokerUnavailableException;
import io.eventgateway.core.connection.CloseReason;
import io.eventgateway.core.event.RoomEvent;
import io.eventgateway.core.publish.EventPublisher;
import io.eventgateway.core.publish.PublishRejectedException;
import io.eventgateway.core.room.Presence;
import io.eventgateway.core.room.RoomRegistry;
import io.eventgateway.core.store.EventStore;
import io.eventgateway.core.store.NewEvent;
import io.eventgateway.core.store.RoomPosition;
import io.eventgateway.core.store.StoreUnavailableException;
import io.eventgateway.gateway.metrics.GatewayMeters;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

/** Carries out the requests of the wire contract for one connection at a time. */
public final class RequestHandler {

	private static final Logger logger = LoggerFactory.getLogger(RequestHandler.class);

	/**
	 * @param maxRooms rooms one connection may join
	 * @param maxPendingPublishes durable publishes of one connection awaiting their ack
	 * @param retainEvents a recovery may replay at most this many events
	 * @param replayPageSize events read per store query during a replay
	 * @param maxHeldBack live events held back per room while its join replays
	 */
	public record Limits(int maxRooms, int maxPendingPublishes, long retainEvents, int replayPageSize,
			int maxHeldBack) {
	}

	private final RoomRegistry registry;

	private final Presence presence;

	private final Broker broker;

	private final EventStore store;

	private final EventPublisher publisher;

	private final ServerMessages messages;

	private final Limits limits;

	private final Clock clock;

	private final MeterRegistry meters;

	private final Counter durablePublished;

	private final Counter volatilePublished;

	private final Counter volatileDropped;

	public RequestHandler(RoomRegistry registry, Presence presence, Broker broker, EventStore store,
			EventPublisher publisher, ServerMessages messages, Limits limits, Clock clock, MeterRegistry meters) {
		this.registry = registry;
		this.presence = presence;
		this.broker = broker;
		this.store = store;
		this.publisher = publisher;
		this.messages = messages;
		this.limits = limits;
		this.clock = clock;
		this.meters = meters;
		this.durablePublished = meters.counter(GatewayMeters.EVENTS_PUBLISHED, "kind", "durable");
		this.volatilePublished = meters.counter(GatewayMeters.EVENTS_PUBLISHED, "kind", "volatile");
		this.volatileDropped = meters.counter(GatewayMeters.EVENTS_DROPPED);
	}

	public Mono<Void> handle(ClientConnection connection, ClientRequest request) {
		if (connection.isClosing()) {
			return Mono.empty();
		}
		if (request instanceof ClientRequest.Invalid invalid) {
			return reject(connection, invalid.ref(), invalid.code(), invalid.message());
		}
		if (connection.isExpired(this.clock.instant())) {
			reply(connection, request.ref(), ErrorCode.UNAUTHORIZED, "token expired");
			connection.close(CloseReason.TOKEN_EXPIRED);
			return Mono.empty();
		}
		if (request instanceof ClientRequest.Publish publish) {
			publish(connection, publish);
			return Mono.empty();
		}
		if (request instanceof ClientRequest.Join join) {
			return join(connection, join);
		}
		if (request instanceof ClientRequest.Leave leave) {
			return leave(connection, leave);
		}
		connection.send(this.messages.pong(request.ref()));
		return Mono.empty();
	}

	/** Answers bad input; past the tolerated rate the connection is closed with 1008. */
	Mono<Void> reject(ClientConnection connection, String ref, ErrorCode code, String message) {
		reply(connection, ref, code, message);
		if (code.isBadInput() && !connection.toleratesBadInput()) {
			connection.close(CloseReason.POLICY);
		}
		return Mono.empty();
	}

	private void publish(ClientConnection connection, ClientRequest.Publish request) {
		if (!connection.identity().rooms().allows(request.room())) {
			reply(connection, request.ref(), ErrorCode.FORBIDDEN, "not allowed to publish to " + request.room());
			return;
		}
		if (!connection.tryPublish()) {
			reply(connection, request.ref(), ErrorCode.RATE_LIMITED, "publish rate exceeded");
			return;
		}
		long now = this.clock.millis();
		if (request.isVolatile()) {
			this.volatilePublished.increment();
			this.publisher.publishVolatile(RoomEvent.volatileEvent(request.room(), request.event(), request.data(), now))
				.subscribe(null, error -> logger.warn("volatile publish to {} failed", request.room(), error));
			if (request.ref() != null) {
				connection.send(this.messages.ack(request.ref(), request.room(), null));
			}
			return;
		}
		if (!connection.tryStartPublish(this.limits.maxPendingPublishes())) {
			reply(connection, request.ref(), ErrorCode.RATE_LIMITED, "too many publishes awaiting their ack");
			return;
		}
		this.publisher.publishDurable(new NewEvent(request.room(), request.event(), request.data(), now))
			.doFinally(signal -> connection.publishDone())
			.subscribe(stored -> {
				this.durablePublished.increment();
				connection.send(this.messages.ack(request.ref(), request.room(), stored.seq()));
			}, error -> replyFailure(connection, request.ref(), error));
	}

	private Mono<Void> join(ClientConnection connection, ClientRequest.Join request) {
		String room = request.room();
		if (!connection.identity().rooms().allows(room)) {
			reply(connection, request.ref(), ErrorCode.FORBIDDEN, "not allowed to join " + room);
			return Mono.empty();
		}
		RoomSubscription existing = connection.rooms().get(room);
		if (existing != null) {
			// Joining again is harmless: the reply tells where the membership stands.
			return this.store.position(room)
				.doOnNext(position -> connection.send(this.messages.joined(request.ref(), room,
						new RoomPosition(existing.lastSeq(), position.epoch(), position.prunedThrough()), null)))
				.onErrorResume(error -> {
					replyFailure(connection, request.ref(), error);
					return Mono.empty();
				})
				.then();
		}
		if (connection.rooms().size() >= this.limits.maxRooms()) {
			reply(connection, request.ref(), ErrorCode.BAD_REQUEST,
					"room limit of " + this.limits.maxRooms() + " reached");
			return Mono.empty();
		}
		RoomSubscription subscription = new RoomSubscription(room, connection, this.limits.maxHeldBack(),
				this.volatileDropped::increment);
		connection.rooms().put(room, subscription);
		// Members first, then the store: an event stored after the position read is held back,
		// one stored before is in the replay, and seq filters the overlap.
		Mono<Void> interest = this.registry.add(room, subscription) ? this.broker.subscribe(room) : Mono.empty();
		this.presence.joined(room, subscription.user());
		return interest.then(this.store.position(room))
			.flatMap(position -> recover(connection, subscription, request, position))
			.onErrorResume(error -> {
				removeMembership(connection, subscription);
				replyFailure(connection, request.ref(), error);
				return Mono.empty();
			})
			.checkpoint("join");
	}

	private Mono<Void> recover(ClientConnection connection, RoomSubscription subscription,
			ClientRequest.Join request, RoomPosition position) {
		if (request.since() == null) {
			subscription.completeJoin(position.seq(), this.messages.joined(request.ref(), request.room(), position, null));
			return Mono.empty();
		}
		long since = request.since();
		boolean recoverable = (request.epoch() == null || request.epoch().equals(position.epoch()))
				&& position.canReplayFrom(since) && position.seq() - since <= this.limits.retainEvents();
		if (!recoverable) {
			subscription.completeJoin(position.seq(), this.messages.joined(request.ref(), request.room(), position, false));
			return Mono.empty();
		}
		return replay(connection, subscription, since, position.seq()).then(Mono.fromRunnable(() -> subscription
			.completeJoin(position.seq(), this.messages.joined(request.ref(), request.room(), position, true))));
	}

	/** Sends the events after {@code after} up to {@code upTo}, a page at a time as the queue drains. */
	private Mono<Void> replay(ClientConnection connection, RoomSubscription subscription, long after, long upTo) {
		if (after >= upTo || connection.isClosing()) {
			return Mono.empty();
		}
		return connection.outbound().whenHalfEmpty()
			.then(this.store.read(subscription.room(), after, upTo, this.limits.replayPageSize()).collectList())
			.flatMap(page -> {
				if (page.isEmpty()) {
					return Mono.empty();
				}
				page.forEach(subscription::replay);
				return replay(connection, subscription, page.get(page.size() - 1).seq(), upTo);
			});
	}

	private Mono<Void> leave(ClientConnection connection, ClientRequest.Leave request) {
		RoomSubscription subscription = connection.rooms().get(request.room());
		if (subscription != null) {
			removeMembership(connection, subscription);
		}
		connection.send(this.messages.left(request.ref(), request.room()));
		return Mono.empty();
	}

	/** Ends every membership of a connection that is gone. */
	void leaveAll(ClientConnection connection) {
		List.copyOf(connection.rooms().values()).forEach(subscription -> removeMembership(connection, subscription));
	}

	private void removeMembership(ClientConnection connection, RoomSubscription subscription) {
		if (!connection.rooms().remove(subscription.room(), subscription)) {
			return;
		}
		this.presence.left(subscription.room(), subscription.user());
		if (this.registry.remove(subscription.room(), subscription)) {
			this.broker.unsubscribe(subscription.room())
				.subscribe(null, error -> logger.warn("unsubscribe from {} failed", subscription.room(), error));
		}
	}

	private void replyFailure(ClientConnection connection, String ref, Throwable error) {
		if (error instanceof StoreUnavailableException || error instanceof PublishRejectedException
				|| error instanceof BrokerUnavailableException) {
			reply(connection, ref, ErrorCode.UNAVAILABLE, error.getMessage());
		}
		else {
			logger.error("request failed", error);
			reply(connection, ref, ErrorCode.INTERNAL, "internal error");
		}
	}

	private void reply(ClientConnection connection, String ref, ErrorCode code, String message) {
		this.meters.counter(GatewayMeters.ERRORS, "code", code.wire()).increment();
		connection.send(this.messages.error(ref, code, message));
	}

}
