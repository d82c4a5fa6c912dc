package io.eventgateway.core.task;

/** A creation repeated an idempotency key whose task has been deleted since: there is no first result to give. */
public final class TaskKeyReusedException extends TaskException {

	public TaskKeyReusedException(String key) {
		super("the task created with Idempotency-Key " + key + " has been deleted since");
	}

}
