package io.eventgateway.core.task;

import java.util.Arrays;
import java.util.Optional;

/** How urgent a task is, named as on the wire. */
public enum TaskPriority {

	HIGH("high"), MEDIUM("medium"), LOW("low");

	private final String wireName;

	TaskPriority(String wireName) {
		this.wireName = wireName;
	}

	public String wireName() {
		return this.wireName;
	}

	public static Optional<TaskPriority> fromWire(String name) {
		return Arrays.stream(values()).filter(priority -> priority.wireName.equals(name)).findFirst();
	}

}
