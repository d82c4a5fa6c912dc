package io.eventgateway.persistence;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import io.eventgateway.core.event.RoomEvent;
import io.eventgateway.core.store.RoomPosition;
import io.eventgateway.core.store.StoreUnavailableException;
import io.eventgateway.core.task.Task;
import io.eventgateway.core.task.TaskCommit;
import io.eventgateway.core.task.TaskEventEncoder;
import io.eventgateway.core.task.TaskException;
import io.eventgateway.core.task.TaskKeyReusedException;
import io.eventgateway.core.task.TaskNotFoundException;
import io.eventgateway.core.task.TaskPage;
import io.eventgateway.core.task.TaskPriority;
import io.eventgateway.core.task.TaskQuery;
import io.eventgateway.core.task.TaskRead;
import io.eventgateway.core.task.TaskRejectedException;
import io.eventgateway.core.task.TaskStatus;
import io.eventgateway.core.task.TaskStore;
import io.eventgateway.core.task.TaskVersionConflictException;
import io.eventgateway.core.task.TaskWrite;
import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.R2dbcDataIntegrityViolationException;
import io.r2dbc.spi.Readable;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.r2dbc.connection.R2dbcTransactionManager;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.reactive.TransactionalOperator;
import org.springframework.transaction.support.DefaultTransactionDefinition;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.util.retry.Retry;

/**
 * Tasks over R2DBC, on the same database and SQL dialect as the events. A write, the advance of the
 * team room's head and the event announcing the write are one transaction.
 */
public final class R2dbcTaskStore implements TaskStore {

	private static final String COLUMNS = "id, team, source_key, title, description, status, priority, assignee, "
			+ "dependencies, version, seq, created_at, updated_at";

	private final DatabaseClient db;

	private final TransactionalOperator transactional;

	private final TransactionalOperator snapshot;

	private final RoomAppends appends;

	private final Scheduler scheduler;

	private final TaskEventEncoder encoder;

	private final String epoch;

	/**
	 * @param epoch the database's lineage ({@link StoreLineage})
	 */
	public R2dbcTaskStore(ConnectionFactory connectionFactory, Scheduler scheduler, TaskEventEncoder encoder, String epoch) {
		this.db = DatabaseClient.create(connectionFactory);
		R2dbcTransactionManager transactions = new R2dbcTransactionManager(connectionFactory);
		this.transactional = TransactionalOperator.create(transactions);
		// A page and the room position it reflects are read from one snapshot.
		DefaultTransactionDefinition repeatableRead = new DefaultTransactionDefinition();
		repeatableRead.setIsolationLevel(TransactionDefinition.ISOLATION_REPEATABLE_READ);
		repeatableRead.setReadOnly(true);
		this.snapshot = TransactionalOperator.create(transactions, repeatableRead);
		this.appends = new RoomAppends(this.db, connectionFactory);
		this.scheduler = scheduler;
		this.encoder = encoder;
		this.epoch = epoch;
	}

	@Override
	public Mono<TaskRead> find(String id) {
		return this.db.sql("SELECT " + COLUMNS + " FROM tasks WHERE id = $1")
			.bind(0, id)
			.map(this::read)
			.one()
			.subscribeOn(this.scheduler)
			.onErrorMap(R2dbcTaskStore::unavailable);
	}

	@Override
	public Mono<TaskPage> list(TaskQuery query) {
		String room = Task.roomOf(query.team());
		StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM tasks WHERE team = $1");
		List<Object> values = new ArrayList<>(List.of(query.team()));
		if (query.status() != null) {
			values.add(query.status().wireName());
			sql.append(" AND status = $").append(values.size());
		}
		if (query.priority() != null) {
			values.add(query.priority().wireName());
			sql.append(" AND priority = $").append(values.size());
		}
		if (query.afterId() != null) {
			values.add(query.afterId());
			sql.append(" AND id > $").append(values.size());
		}
		// One more than asked tells whether there is a next page.
		sql.append(" ORDER BY id LIMIT ").append(query.limit() + 1);
		Mono<TaskPage> page = this.db.sql("SELECT seq, pruned_through FROM room_heads WHERE room = $1")
			.bind(0, room)
			.map(row -> new RoomPosition(row.get("seq", Long.class), this.epoch, row.get("pruned_through", Long.class)))
			.one()
			.defaultIfEmpty(new RoomPosition(0, this.epoch, 0))
			.flatMap(position -> this.db.sql(sql.toString()).bindValues(values).map(R2dbcTaskStore::task).all().collectList()
				.map(tasks -> tasks.size() > query.limit()
						? new TaskPage(tasks.subList(0, query.limit()), tasks.get(query.limit() - 1).id(), position)
						: new TaskPage(tasks, null, position)));
		return this.snapshot.transactional(page).subscribeOn(this.scheduler).onErrorMap(R2dbcTaskStore::unavailable);
	}

	@Override
	public Mono<TaskCommit> write(TaskWrite write) {
		Mono<TaskCommit> work;
		if (write instanceof TaskWrite.Create create) {
			work = (create.idempotencyKey() == null) ? create(create.task(), create.author())
					: createOnce(create.task(), create.author(), create.idempotencyKey());
		}
		else if (write instanceof TaskWrite.Update update) {
			work = update(update);
		}
		else {
			work = delete((TaskWrite.Delete) write);
		}
		return this.transactional.transactional(work)
			// Another instance created with the same key after it was looked up; that creation has
			// committed, so the next try finds the key and answers its task.
			.retryWhen(Retry.max(3).filter(KeyTakenMeanwhile.class::isInstance))
			.subscribeOn(this.scheduler).onErrorMap(error -> {
			if (error instanceof R2dbcDataIntegrityViolationException || error instanceof DataIntegrityViolationException
					|| StoreErrors.isConstraintViolation(error)) {
				return new TaskRejectedException(List.of(new TaskRejectedException.FieldError("id",
						"a task with this id (or this id in the team's task file) already exists")));
			}
			return unavailable(error);
		});
	}

	/** A creation with an idempotency key: the task the key created, or a new one recorded under the key. */
	private Mono<TaskCommit> createOnce(Task task, String author, String key) {
		return this.db.sql("SELECT task_id FROM task_idempotency_keys WHERE team = $1 AND idem_key = $2")
			.bind(0, task.team())
			.bind(1, key)
			.map(row -> row.get("task_id", String.class))
			.one()
			.flatMap(firstId -> this.db.sql("SELECT " + COLUMNS + " FROM tasks WHERE id = $1")
				.bind(0, firstId)
				.map(this::read)
				.one()
				.map(TaskCommit::repeatOf)
				.switchIfEmpty(Mono.error(() -> new TaskKeyReusedException(key))))
			.switchIfEmpty(Mono.defer(() -> create(task, author)
				.flatMap(commit -> this.db.sql("INSERT INTO task_idempotency_keys (team, idem_key, task_id, created_at) VALUES ($1, $2, $3, $4)")
					.bind(0, task.team())
					.bind(1, key)
					.bind(2, task.id())
					.bind(3, task.createdAt().toEpochMilli())
					.then()
					.onErrorMap(StoreErrors::isConstraintViolation, KeyTakenMeanwhile::new)
					.thenReturn(commit))));
	}

	@Override
	public Mono<Long> forgetIdempotencyKeys(long recordedBefore) {
		return this.db.sql("DELETE FROM task_idempotency_keys WHERE created_at < $1")
			.bind(0, recordedBefore)
			.fetch()
			.rowsUpdated()
			.subscribeOn(this.scheduler)
			.onErrorMap(R2dbcTaskStore::unavailable);
	}

	/** A key was recorded by a concurrent creation between the look-up and the insert. */
	private static final class KeyTakenMeanwhile extends RuntimeException {

		KeyTakenMeanwhile(Throwable cause) {
			super("an idempotency key was recorded meanwhile", cause);
		}

	}

	private Mono<TaskCommit> create(Task task, String author) {
		return announce(task.room(), TaskEventEncoder.CREATED, this.encoder.task(task), task.createdAt(), author)
			.flatMap(event -> this.db.sql("INSERT INTO tasks (" + COLUMNS + ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)")
				.bindValues(row(task, event.seq()))
				.then()
				.thenReturn(new TaskCommit(task.id(), task, event, positionAt(event))));
	}

	private Mono<TaskCommit> update(TaskWrite.Update update) {
		return locked(update.taskId(), update.expectedVersion()).flatMap(read -> {
			Task current = read.task();
			Task changed = update.change().apply(current);
			if (changed.sameContentAs(current)) {
				return Mono.just(new TaskCommit(current.id(), current, null, read.position()));
			}
			Task next = current.nextVersion(changed, Instant.now());
			return announce(next.room(), TaskEventEncoder.UPDATED, this.encoder.task(next), next.updatedAt(), update.author())
				.flatMap(event -> {
					List<Object> values = new ArrayList<>(row(next, event.seq()));
					return this.db.sql("UPDATE tasks SET source_key = $3, title = $4, description = $5, status = $6, priority = $7, "
							+ "assignee = $8, dependencies = $9, version = $10, seq = $11, created_at = $12, updated_at = $13 "
							+ "WHERE id = $1 AND team = $2")
						.bindValues(values)
						.then()
						.thenReturn(new TaskCommit(next.id(), next, event, positionAt(event)));
				});
		});
	}

	private Mono<TaskCommit> delete(TaskWrite.Delete delete) {
		return locked(delete.taskId(), delete.expectedVersion()).map(TaskRead::task).flatMap(current -> announce(current.room(),
				TaskEventEncoder.DELETED, this.encoder.deleted(current.id()), Instant.now(), delete.author())
			.flatMap(event -> this.db.sql("DELETE FROM tasks WHERE id = $1")
				.bind(0, current.id())
				.then()
				.thenReturn(new TaskCommit(current.id(), null, event, positionAt(event)))));
	}

	// The task's row lock makes concurrent writers of one task take turns, on every instance.
	private Mono<TaskRead> locked(String id, long expectedVersion) {
		return this.db.sql("SELECT " + COLUMNS + " FROM tasks WHERE id = $1 FOR UPDATE")
			.bind(0, id)
			.map(this::read)
			.one()
			.switchIfEmpty(Mono.error(() -> new TaskNotFoundException(id)))
			.handle((current, sink) -> {
				long version = current.task().version();
				if (expectedVersion != TaskWrite.ANY_VERSION && version != expectedVersion) {
					sink.error(new TaskVersionConflictException(id, expectedVersion, version));
					return;
				}
				sink.next(current);
			});
	}

	private TaskRead read(Readable row) {
		return new TaskRead(task(row), new RoomPosition(row.get("seq", Long.class), this.epoch, 0), false);
	}

	private RoomPosition positionAt(RoomEvent event) {
		return new RoomPosition(event.seq(), this.epoch, 0);
	}

	private Mono<RoomEvent> announce(String room, String eventName, String data, Instant at, String author) {
		return this.appends.advanceHead(room, 1).flatMap(seq -> {
			RoomEvent event = new RoomEvent(room, seq, eventName, data, at.toEpochMilli(), null, author);
			return this.appends.insert(List.of(event)).thenReturn(event);
		});
	}

	private static List<Object> row(Task task, long seq) {
		return Arrays.asList(task.id(), task.team(), SqlParameters.text(task.sourceKey()), task.title(),
				SqlParameters.text(task.description()), task.status().wireName(), task.priority().wireName(), SqlParameters.text(task.assignee()),
				String.join(",", task.dependencies()), task.version(), seq, task.createdAt().toEpochMilli(),
				task.updatedAt().toEpochMilli());
	}


	private static Task task(Readable row) {
		String dependencies = row.get("dependencies", String.class);
		return new Task(row.get("id", String.class), row.get("team", String.class), row.get("source_key", String.class),
				row.get("title", String.class), row.get("description", String.class),
				TaskStatus.fromWire(row.get("status", String.class)).orElseThrow(),
				TaskPriority.fromWire(row.get("priority", String.class)).orElseThrow(), row.get("assignee", String.class),
				dependencies.isEmpty() ? List.of() : List.of(dependencies.split(",")), row.get("version", Long.class),
				Instant.ofEpochMilli(row.get("created_at", Long.class)), Instant.ofEpochMilli(row.get("updated_at", Long.class)));
	}

	/** The call's own fault as a rejection, anything else as the store being unavailable. */
	private static Throwable unavailable(Throwable error) {
		if (error instanceof TaskException || error instanceof StoreUnavailableException) {
			return error;
		}
		if (StoreErrors.isDataError(error)) {
			return new TaskRejectedException(List.of(new TaskRejectedException.FieldError("",
					"a value of the task cannot be stored")));
		}
		return new StoreUnavailableException("task store unavailable", error);
	}

}
