package io.eventgateway.gateway.websocket;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.eventgateway.core.broker.BrokerUnavailableException;
import io.eventgateway.core.connection.CloseReason;
import io.eventgateway.core.connection.Connection;
import io.eventgateway.core.auth.ClientIdentity;
import io.eventgateway.core.connection.Membership;
import io.eventgateway.core.connection.Memberships;
import io.eventgateway.core.event.Names;
import io.eventgateway.core.event.RoomEvent;
import io.eventgateway.core.publish.EventPublisher;
import io.eventgateway.core.publish.PublishRejectedException;
import io.eventgateway.core.store.NewEvent;
import io.eventgateway.core.store.DataRejectedException;
import io.eventgateway.core.store.StoreUnavailableException;
import io.eventgateway.gateway.auth.InvalidTokenException;
import io.eventgateway.gateway.auth.TokenService;
import io.eventgateway.gateway.metrics.EventDrops;
import io.eventgateway.gateway.metrics.GatewayMeters;
import io.eventgateway.gateway.store.StoreOutage;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

/**
 * The protocol dispatcher: checks each request of the wire contract against the connection's token
 * and budgets, hands it to the core (memberships, the publish pipeline) and answers it.
 */
public final class RequestHandler {

	private static final Logger logger = LoggerFactory.getLogger(RequestHandler.class);

	/** What a request that is done when {@link #handle} returns answers: the transport goes on at once. */
	static final Mono<Void> DONE = Mono.empty();

	/**
	 * @param maxRooms rooms one connection may join
	 * @param maxPendingPublishes durable publishes of one connection awaiting their ack
	 */
	public record Limits(int maxRooms, int maxPendingPublishes) {
	}

	private final Memberships memberships;

	private final EventPublisher publisher;

	private final ServerMessages messages;

	private final Limits limits;

	private final Clock clock;

	private final MeterRegistry meters;

	private final Counter durablePublished;

	private final Counter volatilePublished;

	private final Timer durableAck;

	private final Timer volatileAck;

	private final TokenService tokens;

	private final ExpiringNotices expiringNotices;

	private final EventDrops drops;

	private final Counter unrecovered;

	public RequestHandler(Memberships memberships, EventPublisher publisher, ServerMessages messages, Limits limits,
			TokenService tokens, ExpiringNotices expiringNotices, Clock clock, MeterRegistry meters, EventDrops drops) {
		this.drops = drops;
		this.unrecovered = meters.counter(GatewayMeters.JOINS_UNRECOVERED);
		this.memberships = memberships;
		this.tokens = tokens;
		this.expiringNotices = expiringNotices;
		this.publisher = publisher;
		this.messages = messages;
		this.limits = limits;
		this.clock = clock;
		this.meters = meters;
		this.durablePublished = meters.counter(GatewayMeters.EVENTS_PUBLISHED, "kind", "durable");
		this.volatilePublished = meters.counter(GatewayMeters.EVENTS_PUBLISHED, "kind", "volatile");
		this.durableAck = ackTimer(meters, "durable");
		this.volatileAck = ackTimer(meters, "volatile");
	}

	// A histogram from 1 ms to 10 s: latency quantiles of any set of instances, computed in Prometheus.
	private static Timer ackTimer(MeterRegistry meters, String kind) {
		return Timer.builder(GatewayMeters.PUBLISH_ACK)
			.tag("kind", kind)
			.publishPercentileHistogram()
			.minimumExpectedValue(Duration.ofMillis(1))
			.maximumExpectedValue(Duration.ofSeconds(10))
			.register(meters);
	}

	/**
	 * Handles one request; the returned Mono completes when the next request of the connection may be
	 * handled (at once, but for a join, which completes once it is answered).
	 */
	public Mono<Void> handle(Connection connection, ClientRequest request) {
		if (connection.isClosing()) {
			return DONE;
		}
		if (!connection.tryRequest()) {
			if (request instanceof ClientRequest.Publish) {
				this.drops.rateLimited().increment();
			}
			reject(connection, request.ref(), ErrorCode.RATE_LIMITED, "request rate exceeded");
			return DONE;
		}
		if (request instanceof ClientRequest.Invalid invalid) {
			reject(connection, invalid.ref(), invalid.code(), invalid.message());
			return DONE;
		}
		if (connection.isExpired(this.clock.instant())) {
			reply(connection, request.ref(), ErrorCode.UNAUTHORIZED, "token expired");
			connection.close(CloseReason.TOKEN_EXPIRED);
			return DONE;
		}
		if (request instanceof ClientRequest.Publish publish) {
			publish(connection, publish);
			return DONE;
		}
		if (request instanceof ClientRequest.Join join) {
			return join(connection, join);
		}
		if (request instanceof ClientRequest.Refresh refresh) {
			refresh(connection, refresh);
			return DONE;
		}
		if (request instanceof ClientRequest.Leave leave) {
			this.memberships.leave(connection, leave.room());
			connection.send(this.messages.left(leave.ref(), leave.room()));
			return DONE;
		}
		connection.send(this.messages.pong(request.ref()));
		return DONE;
	}

	/**
	 * Answers a request the client should not have sent (malformed, too large, not allowed by its
	 * token, beyond its limits); past the tolerated rate of these the connection is closed with 1008.
	 */
	private void reject(Connection connection, String ref, ErrorCode code, String message) {
		reply(connection, ref, code, message);
		if (!connection.toleratesBadInput()) {
			connection.close(CloseReason.POLICY);
		}
	}

	private void publish(Connection connection, ClientRequest.Publish request) {
		if (!connection.identity().rooms().mayPublish(request.room())) {
			reject(connection, request.ref(), ErrorCode.FORBIDDEN, connection.identity().rooms().mayJoin(request.room())
					? request.room() + " is read-only for this token" : "not allowed to publish to " + request.room());
			return;
		}
		if (Names.isServerEvent(request.event())) {
			reject(connection, request.ref(), ErrorCode.FORBIDDEN, request.event() + " is an event only the server publishes");
			return;
		}
		long now = this.clock.millis();
		long receivedNanos = System.nanoTime();
		if (request.isVolatile()) {
			this.volatilePublished.increment();
			this.publisher.publishVolatile(RoomEvent.volatileEvent(request.room(), request.event(), request.data(), now,
					request.id(), connection.user()))
				.subscribe(null, error -> logger.warn("conn={} volatile publish to {} failed", connection.id(), request.room(), error));
			if (request.ref() != null) {
				connection.send(this.messages.ack(request.ref(), request.room(), null));
				this.volatileAck.record(System.nanoTime() - receivedNanos, TimeUnit.NANOSECONDS);
			}
			return;
		}
		// Flow control rather than bad input: a client pipelining publishes faster than the store
		// answers waits for its acks.
		if (!connection.tryStartPublish(this.limits.maxPendingPublishes())) {
			if (connection.isSettlingToClose()) {
				reply(connection, request.ref(), ErrorCode.UNAVAILABLE, "the server is restarting: publish again once reconnected");
			}
			else {
				this.drops.rateLimited().increment();
				reply(connection, request.ref(), ErrorCode.RATE_LIMITED, "too many publishes awaiting their ack");
			}
			return;
		}
		this.publisher.publishDurable(new NewEvent(request.room(), request.event(), request.data(), now, request.id(),
				connection.user()))
			.doFinally(signal -> connection.publishDone())
			.subscribe(stored -> {
				if (!stored.duplicate()) {
					this.durablePublished.increment();
				}
				connection.send(this.messages.ack(request.ref(), request.room(), stored.event().seq(), stored.duplicate()));
				this.durableAck.record(System.nanoTime() - receivedNanos, TimeUnit.NANOSECONDS);
			}, error -> replyFailure(connection, request.ref(), error));
	}

	/**
	 * Takes a fresh token of the same user; rooms it no longer allows are left. A token that is not
	 * valid, or is another user's, is refused and the connection keeps its old one until it expires.
	 */
	private void refresh(Connection connection, ClientRequest.Refresh request) {
		ClientIdentity fresh;
		try {
			fresh = this.tokens.verify(request.token());
		}
		catch (InvalidTokenException ex) {
			reject(connection, request.ref(), ErrorCode.UNAUTHORIZED, ex.getMessage());
			return;
		}
		if (!fresh.user().equals(connection.user())) {
			reject(connection, request.ref(), ErrorCode.UNAUTHORIZED, "the new token is another user's");
			return;
		}
		connection.refresh(fresh, this.expiringNotices.noticeAt(fresh));
		for (Membership membership : connection.memberships()) {
			if (!fresh.rooms().mayJoin(membership.room())) {
				this.memberships.leave(connection, membership.room());
				connection.send(this.messages.left(null, membership.room(), "forbidden"));
			}
		}
		connection.send(this.messages.refreshed(request.ref(), fresh.expiresAt().getEpochSecond()));
	}

	private Mono<Void> join(Connection connection, ClientRequest.Join request) {
		String room = request.room();
		if (!connection.identity().rooms().mayJoin(room)) {
			reject(connection, request.ref(), ErrorCode.FORBIDDEN, "not allowed to join " + room);
			return DONE;
		}
		if (connection.membership(room) == null && connection.roomCount() >= this.limits.maxRooms()) {
			reject(connection, request.ref(), ErrorCode.BAD_REQUEST, "room limit of " + this.limits.maxRooms() + " reached");
			return DONE;
		}
		return this.memberships
			.join(connection, room, request.since(), request.epoch(),
					(position, recovered) -> {
						if (Boolean.FALSE.equals(recovered)) {
							this.unrecovered.increment();
						}
						return this.messages.joined(request.ref(), room, position, recovered);
					})
			.onErrorResume(error -> {
				replyFailure(connection, request.ref(), error);
				return Mono.empty();
			});
	}

	private void replyFailure(Connection connection, String ref, Throwable error) {
		if (error instanceof DataRejectedException) {
			reject(connection, ref, ErrorCode.BAD_REQUEST, error.getMessage());
		}
		else if (error instanceof StoreUnavailableException) {
			reply(connection, ref, ErrorCode.UNAVAILABLE, StoreOutage.logged(logger, error).detail());
		}
		else if (error instanceof PublishRejectedException || error instanceof BrokerUnavailableException) {
			reply(connection, ref, ErrorCode.UNAVAILABLE, error.getMessage());
		}
		else {
			logger.error("conn={} request failed", connection.id(), error);
			reply(connection, ref, ErrorCode.INTERNAL, "internal error");
		}
	}

	private void reply(Connection connection, String ref, ErrorCode code, String message) {
		this.meters.counter(GatewayMeters.ERRORS, "code", code.wire()).increment();
		connection.send(this.messages.error(ref, code, message));
	}

}
