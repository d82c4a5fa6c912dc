package io.eventgateway.core.task;

import java.util.List;

import io.eventgateway.core.store.RoomPosition;

/**
 * A page of tasks, read in one snapshot together with the position of the team's room.
 * @param nextAfterId where the next page starts, or {@code null} on the last page
 */
public record TaskPage(List<Task> items, String nextAfterId, RoomPosition position) {
}
