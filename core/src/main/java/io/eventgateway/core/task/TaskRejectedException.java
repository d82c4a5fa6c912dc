package io.eventgateway.core.task;

import java.util.List;

/** A task whose content breaks the rules: each bad field with what is wrong with it. */
public final class TaskRejectedException extends TaskException {

	private final List<FieldError> errors;

	public TaskRejectedException(List<FieldError> errors) {
		super(errors.size() == 1 ? errors.get(0).field() + ": " + errors.get(0).message()
				: errors.size() + " fields are invalid");
		this.errors = List.copyOf(errors);
	}

	public List<FieldError> errors() {
		return this.errors;
	}

	public record FieldError(String field, String message) {
	}

}
