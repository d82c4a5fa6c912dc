package io.eventgateway.core.task;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Objects;

/**
 * A task of a team. {@code version} starts at 1 and grows by one with every change; it is the ETag
 * and the optimistic-concurrency token. {@code sourceKey} is the task's id in the team's task file,
 * for tasks that came from one ({@code null} otherwise).
 */
public record Task(String id, String team, String sourceKey, String title, String description, TaskStatus status,
		TaskPriority priority, String assignee, List<String> dependencies, long version, Instant createdAt,
		Instant updatedAt) {

	public Task {
		dependencies = List.copyOf(dependencies);
		// Stored and shown in milliseconds: what a write answers equals what later reads answer.
		createdAt = createdAt.truncatedTo(ChronoUnit.MILLIS);
		updatedAt = updatedAt.truncatedTo(ChronoUnit.MILLIS);
	}

	/** The room whose members hear of this task's changes. */
	public String room() {
		return roomOf(this.team);
	}

	public static String roomOf(String team) {
		return "team-" + team;
	}

	/** The next version of this task, with the content of {@code changed}. */
	public Task nextVersion(Task changed, Instant now) {
		return new Task(this.id, this.team, changed.sourceKey, changed.title, changed.description, changed.status,
				changed.priority, changed.assignee, changed.dependencies, this.version + 1, this.createdAt, now);
	}

	/** Whether the content a user sees (everything but identity, version and times) is the same. */
	public boolean sameContentAs(Task other) {
		return this.title.equals(other.title) && Objects.equals(this.description, other.description)
				&& this.status == other.status && this.priority == other.priority
				&& Objects.equals(this.assignee, other.assignee) && this.dependencies.equals(other.dependencies)
				&& Objects.equals(this.sourceKey, other.sourceKey);
	}

}
