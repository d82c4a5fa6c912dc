package io.eventgateway.persistence;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.ValidationDepth;
import io.r2dbc.spi.Wrapped;
import reactor.core.publisher.Mono;

/**
 * Connections of the pool that the appends keep instead of giving each back after its batch: a
 * batch takes an idle one from a queue (one atomic operation) rather than through the pool's
 * acquire and release, and finds its statement already prepared on it. At most {@code most} are
 * kept, each used by one batch at a time; a batch that finds none idle while that many are out
 * borrows one from the pool for itself. A connection whose call failed for another reason than the
 * data (a broken or timed-out connection), or that the driver sees closed before a batch, is
 * closed, not kept.
 */
final class AppendConnections implements AutoCloseable {

	private final ConnectionFactory pool;

	private final int most;

	private final Queue<Connection> idle = new ConcurrentLinkedQueue<>();

	/** Connections kept, idle or in use. */
	private final AtomicInteger kept = new AtomicInteger();

	private volatile boolean closed;

	AppendConnections(ConnectionFactory pool, int most) {
		this.pool = pool;
		this.most = most;
	}

	/** Runs the call on a kept connection, or on one borrowed for it when all are in use. */
	<T> Mono<T> run(Function<Connection, Mono<T>> call) {
		return Mono.defer(() -> {
			Connection connection = this.idle.poll();
			if (connection != null) {
				// A connection seen closed (the database restarted, the network cut it) is replaced
				// before a batch meets it; the check reads the driver's state, it sends nothing.
				return Mono.from(connection.validate(ValidationDepth.LOCAL)).flatMap(valid -> {
					if (valid) {
						return runOn(connection, call);
					}
					discard(connection);
					return run(call);
				});
			}
			if (!this.closed) {
				if (this.kept.incrementAndGet() <= this.most) {
					return keepNew(call);
				}
				this.kept.decrementAndGet();
			}
			return Mono.usingWhen(this.pool.create(), call, Connection::close, (borrowed, error) -> borrowed.close(),
					Connection::close);
		});
	}

	// The count already holds the connection being made: given back if none is made.
	private <T> Mono<T> keepNew(Function<Connection, Mono<T>> call) {
		AtomicBoolean made = new AtomicBoolean();
		return Mono.from(this.pool.create())
			.doOnError(error -> this.kept.decrementAndGet())
			.doOnCancel(() -> {
				if (!made.get()) {
					this.kept.decrementAndGet();
				}
			})
			.flatMap(created -> {
				made.set(true);
				return runOn(created, call);
			});
	}

	private <T> Mono<T> runOn(Connection connection, Function<Connection, Mono<T>> call) {
		// Exactly one of keep and discard, whichever signal comes first.
		AtomicBoolean ended = new AtomicBoolean();
		return call.apply(connection)
			.doOnSuccess(result -> {
				if (ended.compareAndSet(false, true)) {
					keep(connection);
				}
			})
			.doOnError(error -> {
				if (ended.compareAndSet(false, true)) {
					if (StoreErrors.isDataError(error)) {
						keep(connection);
					}
					else {
						discard(connection);
					}
				}
			})
			// A statement may still be running: the connection is not fit for the next batch.
			.doOnCancel(() -> {
				if (ended.compareAndSet(false, true)) {
					discard(connection);
				}
			});
	}

	private void keep(Connection connection) {
		this.idle.offer(connection);
		if (this.closed) {
			release();
		}
	}

	// Closed underneath, then given back: the pool checks a connection before lending it again and
	// drops a closed one.
	private void discard(Connection connection) {
		this.kept.decrementAndGet();
		Mono<Void> closeUnderlying = (connection instanceof Wrapped<?> wrapped && wrapped.unwrap() instanceof Connection raw)
				? closing(raw) : Mono.empty();
		closeUnderlying.then(closing(connection)).subscribe();
	}

	// A connection that fails to close is gone either way.
	private static Mono<Void> closing(Connection connection) {
		return Mono.from(connection.close()).onErrorResume(error -> Mono.empty());
	}

	/** Gives every kept connection back to the pool; one in use goes back when its batch ends. */
	@Override
	public void close() {
		this.closed = true;
		release();
	}

	private void release() {
		for (Connection connection = this.idle.poll(); connection != null; connection = this.idle.poll()) {
			this.kept.decrementAndGet();
			closing(connection).subscribe();
		}
	}

}
