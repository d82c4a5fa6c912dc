package io.eventgateway.core.task;

import java.util.Arrays;
import java.util.Optional;

/** Where a task stands, named as on the wire. */
public enum TaskStatus {

	PENDING("pending"), IN_PROGRESS("in-progress"), REVIEW("review"), DONE("done"), DEFERRED("deferred"),
	CANCELLED("cancelled");

	private final String wireName;

	TaskStatus(String wireName) {
		this.wireName = wireName;
	}

	public String wireName() {
		return this.wireName;
	}

	public static Optional<TaskStatus> fromWire(String name) {
		return Arrays.stream(values()).filter(status -> status.wireName.equals(name)).findFirst();
	}

}
