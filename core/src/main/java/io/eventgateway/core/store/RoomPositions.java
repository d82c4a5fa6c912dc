package io.eventgateway.core.store;

import reactor.core.publisher.Mono;

/** Where each room's history stands: what a join is answered with. */
@FunctionalInterface
public interface RoomPositions {

	/** The room's newest {@code seq} (0 when it has none) and the lineage of its history. */
	Mono<RoomPosition> position(String room);

}
