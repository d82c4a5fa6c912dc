package io.eventgateway.core.task;

/**
 * One page of a team's tasks in {@code id} order (ids grow with creation time), after the task
 * {@code afterId} ({@code null} for the first page). Keyset pagination: a task inserted meanwhile
 * neither repeats nor hides another.
 * @param status only tasks with this status, or {@code null} for all
 * @param priority only tasks with this priority, or {@code null} for all
 */
public record TaskQuery(String team, TaskStatus status, TaskPriority priority, String afterId, int limit) {
}
