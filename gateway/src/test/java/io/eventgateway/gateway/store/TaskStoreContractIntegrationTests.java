package io.eventgateway.gateway.store;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import io.eventgateway.core.event.RoomEvent;
import io.eventgateway.core.store.NewEvent;
import io.eventgateway.core.task.Task;
import io.eventgateway.core.task.TaskCommit;
import io.eventgateway.core.task.TaskPage;
import io.eventgateway.core.task.TaskPriority;
import io.eventgateway.core.task.TaskQuery;
import io.eventgateway.core.task.TaskRead;
import io.eventgateway.core.task.TaskRejectedException;
import io.eventgateway.core.task.TaskStatus;
import io.eventgateway.core.task.TaskStore;
import io.eventgateway.core.task.TaskVersionConflictException;
import io.eventgateway.core.task.TaskWrite;
import io.eventgateway.gateway.cache.CachingTaskStore;
import io.eventgateway.gateway.cache.LocalOnlyTaskCache;
import io.eventgateway.gateway.task.TaskJson;
import io.eventgateway.gateway.testing.StoreDatabases;
import io.eventgateway.persistence.R2dbcEventStore;
import io.eventgateway.persistence.R2dbcTaskStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What the task store must do, against the embedded H2 and against PostgreSQL. */
class TaskStoreContractIntegrationTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(30);

	private final StoreDatabases databases = new StoreDatabases();

	private R2dbcEventStore events;

	private R2dbcTaskStore store(String kind) {
		StoreDatabases.Database database = this.databases.create(kind);
		this.events = new R2dbcEventStore(database.pool(), database.scheduler(), database.epoch());
		return new R2dbcTaskStore(database.pool(), database.scheduler(), new TaskJson(JsonMapper.builder().build()),
				database.epoch());
	}

	@AfterEach
	void cleanUp() {
		this.databases.close();
	}

	private static Task task(String id, String team, String title) {
		Instant now = Instant.now();
		return new Task(id, team, null, title, null, TaskStatus.PENDING, TaskPriority.MEDIUM, null, List.of(), 1, now, now);
	}

	private static Task retitled(Task task, String title) {
		return new Task(task.id(), task.team(), task.sourceKey(), title, task.description(), task.status(), task.priority(),
				task.assignee(), task.dependencies(), task.version(), task.createdAt(), task.updatedAt());
	}

	@ParameterizedTest
	@ValueSource(strings = { "h2", "postgresql" })
	void creationsRepeatingAnIdempotencyKeyCreateOneTask(String kind) {
		R2dbcTaskStore store = store(kind);
		List<TaskCommit> commits = Flux.range(0, 8)
			.flatMap(i -> store.write(new TaskWrite.Create(task("K" + i, "k", "try " + i), "u", "key-1")), 8)
			.collectList()
			.block(TIMEOUT);
		assertThat(commits.stream().filter(TaskCommit::changed)).as("one creation, with its event").hasSize(1);
		String created = commits.stream().filter(TaskCommit::changed).findFirst().orElseThrow().taskId();
		assertThat(commits).extracting(TaskCommit::taskId).containsOnly(created);
		assertThat(store.list(new TaskQuery("k", null, null, null, 100)).block(TIMEOUT).items()).hasSize(1);
		assertThat(store.write(new TaskWrite.Create(task("K9", "other", "t"), "u", "key-1")).block(TIMEOUT).changed())
			.as("keys are per team").isTrue();
		assertThat(store.forgetIdempotencyKeys(Long.MAX_VALUE).block(TIMEOUT)).isEqualTo(2);
		assertThat(store.write(new TaskWrite.Create(task("K10", "k", "again"), "u", "key-1")).block(TIMEOUT).changed())
			.as("a forgotten key creates again").isTrue();
	}

	@ParameterizedTest
	@ValueSource(strings = { "h2", "postgresql" })
	void aWriteAndItsEventShareOneSeqOfTheTeamRoom(String kind) {
		R2dbcTaskStore store = store(kind);
		this.events.append(List.of(new NewEvent("team-a", "chat", "{}", 1))).block(TIMEOUT);
		TaskCommit created = store.write(new TaskWrite.Create(task("T1", "a", "first"))).block(TIMEOUT);
		assertThat(created.event().seq()).isEqualTo(2);
		assertThat(created.event().event()).isEqualTo("task.created");
		TaskRead read = store.find("T1").block(TIMEOUT);
		assertThat(read.task()).isEqualTo(created.task());
		assertThat(read.position().seq()).isEqualTo(2);

		TaskCommit updated = store.write(new TaskWrite.Update("T1", "a", 1, task -> retitled(task, "second"))).block(TIMEOUT);
		assertThat(updated.task().version()).isEqualTo(2);
		assertThat(updated.event().seq()).isEqualTo(3);
		assertThat(this.events.read("team-a", 0, 10, 10).map(RoomEvent::event).collectList().block(TIMEOUT))
			.containsExactly("chat", "task.created", "task.updated");

		assertThatThrownBy(() -> store.write(new TaskWrite.Update("T1", "a", 1, task -> retitled(task, "stale"))).block(TIMEOUT))
			.isInstanceOf(TaskVersionConflictException.class);
		TaskCommit unchanged = store.write(new TaskWrite.Update("T1", "a", 2, task -> task)).block(TIMEOUT);
		assertThat(unchanged.changed()).isFalse();
		assertThat(this.events.position("team-a").block(TIMEOUT).seq()).as("no event, no seq, for no change").isEqualTo(3);
	}

	@ParameterizedTest
	@ValueSource(strings = { "h2", "postgresql" })
	void aRejectedChangeRollsBackWithoutAnEvent(String kind) {
		R2dbcTaskStore store = store(kind);
		store.write(new TaskWrite.Create(task("T1", "b", "x"))).block(TIMEOUT);
		assertThatThrownBy(() -> store.write(new TaskWrite.Update("T1", "b", 0, task -> {
			throw new TaskRejectedException(
					List.of(new TaskRejectedException.FieldError("title", "bad")));
		})).block(TIMEOUT)).isInstanceOf(TaskRejectedException.class);
		assertThatThrownBy(() -> store.write(new TaskWrite.Create(task("T1", "b", "again"))).block(TIMEOUT))
			.isInstanceOf(TaskRejectedException.class);
		assertThat(this.events.position("team-b").block(TIMEOUT).seq()).isEqualTo(1);
	}

	@ParameterizedTest
	@ValueSource(strings = { "h2", "postgresql" })
	void concurrentWritersOfOneTaskTakeTurns(String kind) {
		R2dbcTaskStore store = store(kind);
		store.write(new TaskWrite.Create(task("T1", "c", "0"))).block(TIMEOUT);
		List<TaskCommit> commits = Flux.range(1, 40)
			.flatMap(i -> store.write(new TaskWrite.Update("T1", "c", 0, task -> retitled(task, "w" + i))), 8)
			.collectList()
			.block(TIMEOUT);
		assertThat(commits).extracting(commit -> commit.task().version()).containsExactlyInAnyOrderElementsOf(
				IntStream.rangeClosed(2, 41).mapToObj(Long::valueOf).toList());
		assertThat(commits).extracting(commit -> commit.event().seq()).containsExactlyInAnyOrderElementsOf(
				IntStream.rangeClosed(2, 41).mapToObj(Long::valueOf).toList());
	}

	@ParameterizedTest
	@ValueSource(strings = { "h2", "postgresql" })
	void pagesFilterAndCarryThePositionTheyWereReadAt(String kind) {
		R2dbcTaskStore store = store(kind);
		for (int i = 0; i < 5; i++) {
			Task task = task("T" + i, "d", "t" + i);
			Task prioritized = new Task(task.id(), task.team(), null, task.title(), null, TaskStatus.PENDING,
					i % 2 == 0 ? TaskPriority.HIGH : TaskPriority.LOW, null, List.of(), 1, task.createdAt(), task.updatedAt());
			store.write(new TaskWrite.Create(prioritized)).block(TIMEOUT);
		}
		TaskPage first = store.list(new TaskQuery("d", null, null, null, 2)).block(TIMEOUT);
		assertThat(first.items()).extracting(Task::id).containsExactly("T0", "T1");
		assertThat(first.nextAfterId()).isEqualTo("T1");
		assertThat(first.position().seq()).isEqualTo(5);
		TaskPage high = store.list(new TaskQuery("d", null, TaskPriority.HIGH, "T0", 10)).block(TIMEOUT);
		assertThat(high.items()).extracting(Task::id).containsExactly("T2", "T4");
		assertThat(high.nextAfterId()).isNull();
		assertThat(store.list(new TaskQuery("d", TaskStatus.DONE, null, null, 10)).block(TIMEOUT).items()).isEmpty();
	}

	@ParameterizedTest
	@ValueSource(strings = { "h2", "postgresql" })
	void manyConcurrentMissesOfOneTaskMakeOneStoreRead(String kind) {
		R2dbcTaskStore store = store(kind);
		store.write(new TaskWrite.Create(task("T1", "e", "hot"))).block(TIMEOUT);
		AtomicInteger storeReads = new AtomicInteger();
		TaskStore counted = new CountingReads(store, storeReads);
		CachingTaskStore cached = new CachingTaskStore(counted, new LocalOnlyTaskCache(), 100, Duration.ofMinutes(1));
		List<TaskRead> reads = Flux.range(0, 200).flatMap(i -> cached.find("T1").subscribeOn(Schedulers.parallel()), 200)
			.collectList()
			.block(TIMEOUT);
		assertThat(reads).hasSize(200).allSatisfy(read -> assertThat(read.task().title()).isEqualTo("hot"));
		assertThat(storeReads.get()).isEqualTo(1);
	}

	/** The real store, counting how often it is read. */
	private record CountingReads(TaskStore store, AtomicInteger reads) implements TaskStore {

		@Override
		public Mono<TaskRead> find(String id) {
			return Mono.defer(() -> {
				this.reads.incrementAndGet();
				return this.store.find(id);
			});
		}

		@Override
		public Mono<TaskPage> list(TaskQuery query) {
			return this.store.list(query);
		}

		@Override
		public Mono<TaskCommit> write(TaskWrite write) {
			return this.store.write(write);
		}

		@Override
		public Mono<Long> forgetIdempotencyKeys(long recordedBefore) {
			return this.store.forgetIdempotencyKeys(recordedBefore);
		}

	}

}
