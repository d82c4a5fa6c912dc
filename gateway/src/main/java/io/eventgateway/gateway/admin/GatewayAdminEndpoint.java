package io.eventgateway.gateway.admin;

import java.util.Comparator;
import java.util.List;

import io.eventgateway.core.connection.Connection;
import io.eventgateway.core.room.RoomRegistry;
import io.eventgateway.gateway.websocket.ConnectionRegistry;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.boot.actuate.endpoint.web.WebServerNamespace;
import org.springframework.boot.actuate.endpoint.web.annotation.WebEndpoint;

/**
 * {@code GET /actuator/gateway}: what this instance holds now, for an operator: its rooms with their
 * local member counts, its connections, and the consumers furthest behind (by outbound queue
 * depth) with their user and connection id. Served on a management port of its own only (which is
 * kept inside); on the public port it does not exist (404). It never shows a token or an event.
 */
@WebEndpoint(id = "gateway")
public final class GatewayAdminEndpoint {

	static final int DEFAULT_TOP = 10;

	static final int MAX_ROOMS = 1000;

	private final RoomRegistry rooms;

	private final ConnectionRegistry connections;

	public GatewayAdminEndpoint(RoomRegistry rooms, ConnectionRegistry connections) {
		this.rooms = rooms;
		this.connections = connections;
	}

	/** @param top how many of the slowest consumers to list (default 10) */
	@ReadOperation
	public WebEndpointResponse<AdminView> view(WebServerNamespace namespace, @Nullable Integer top) {
		if (!WebServerNamespace.MANAGEMENT.equals(namespace)) {
			return new WebEndpointResponse<>(WebEndpointResponse.STATUS_NOT_FOUND);
		}
		int slowest = Math.max(0, (top != null) ? top : DEFAULT_TOP);
		List<Connection> open = List.copyOf(this.connections.all());
		List<RoomView> roomViews = this.rooms.rooms()
			.stream()
			.map(room -> new RoomView(room, this.rooms.memberCount(room)))
			.sorted(Comparator.comparingInt(RoomView::localMembers).reversed().thenComparing(RoomView::room))
			.limit(MAX_ROOMS)
			.toList();
		List<ConsumerView> consumers = open.stream()
			.map(ConsumerView::of)
			.sorted(Comparator.comparingInt(ConsumerView::queuedMessages)
				.thenComparingLong(ConsumerView::queuedBytes)
				.reversed())
			.limit(slowest)
			.toList();
		return new WebEndpointResponse<>(new AdminView(open.size(), this.rooms.roomCount(), roomViews, consumers));
	}

	/**
	 * @param connections connections open on this instance
	 * @param roomCount rooms with members here
	 * @param rooms the rooms with the most local members first, at most {@value #MAX_ROOMS}
	 * @param slowestConsumers the connections with the deepest outbound queues first
	 */
	public record AdminView(int connections, int roomCount, List<RoomView> rooms, List<ConsumerView> slowestConsumers) {
	}

	public record RoomView(String room, int localMembers) {
	}

	public record ConsumerView(String connection, String user, int queuedMessages, long queuedBytes) {

		static ConsumerView of(Connection connection) {
			return new ConsumerView(connection.id(), connection.user(), connection.outbound().size(),
					connection.outbound().sizeInBytes());
		}

	}

}
