package io.eventgateway.gateway.cache;

import java.util.function.Consumer;

import io.eventgateway.core.task.TaskCommit;
import io.eventgateway.core.task.TaskRead;
import reactor.core.publisher.Mono;

/**
 * The tier behind each instance's local cache that all instances share, and the channel through
 * which a write reaches every instance's local cache. None of its failures fail a read: a cache
 * that is away means reads go to the store.
 */
public interface SharedTaskCache {

	/** The cached task, empty on a miss or when the cache is away. */
	Mono<TaskRead> get(String id);

	/** Offers a task read from the store; an older version never replaces a newer one. */
	Mono<Void> put(TaskRead read);

	/**
	 * Records a committed write and has every other instance drop the task from its local cache;
	 * completes once they did (or after a bounded wait).
	 */
	Mono<Void> written(TaskCommit commit);

	/** Where other instances' writes make this instance drop a task ({@code null}: drop everything). */
	void onInvalidation(Consumer<String> evict);

	/** Whether this instance hears other instances' writes now; if not, its local cache must not answer. */
	boolean invalidationsConnected();

}
