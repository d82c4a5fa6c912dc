package io.eventgateway.gateway.store;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import io.eventgateway.gateway.metrics.GatewayMeters;
import io.eventgateway.gateway.testing.ExternalServices;
import io.eventgateway.gateway.testing.GatewayInstance;
import io.eventgateway.gateway.testing.HttpCall;
import io.eventgateway.gateway.testing.TestTokens;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * On PostgreSQL: whatever a user sends as a task, over HTTP or in a task file, is answered as that
 * user's fault or applied. It never produces a 5xx, never counts as a store failure (the breakers
 * stay closed with no failed call), and a refused file changes nothing.
 */
class TaskInputProperties {

	private static final String TOKEN = TestTokens.forRooms("fuzzer", "team-*");

	private static final AtomicInteger files = new AtomicInteger();

	private static String database;

	private static Path folder;

	private static GatewayInstance gateway;

	@BeforeContainer
	static void start() throws IOException {
		database = ExternalServices.createDatabase();
		folder = Files.createTempDirectory("task-input-properties");
		gateway = GatewayInstance.start(
				"gateway.database.url=" + ExternalServices.r2dbcUrl(ExternalServices.postgresAddress(), database),
				"gateway.tasks.watch-dir=" + folder, "gateway.http.rate-limit=1000000",
				"gateway.http.rate-limit-burst=1000000");
	}

	@AfterContainer
	static void stop() throws IOException {
		gateway.close();
		ExternalServices.dropDatabase(database);
		try (Stream<Path> paths = Files.walk(folder)) {
			paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
		}
	}

	@Property(tries = 300)
	void anyTaskBodyIsAnsweredWithoutA5xxAndOpensNoBreaker(@ForAll("bodies") String created, @ForAll("bodies") String patch) {
		HttpCall.Answer answer = HttpCall.to(gateway.port(), "POST", "/api/teams/fuzz/tasks").token(TOKEN).body(created).send();
		assertThat(answer.status()).as(created + " → " + answer.body()).isLessThan(500);
		Statistics.label("create").collect(answer.status());
		if (answer.status() == 201) {
			String id = answer.body().path("id").asString();
			HttpCall.Answer patched = HttpCall.to(gateway.port(), "PATCH", "/api/tasks/" + id).token(TOKEN).body(patch).send();
			assertThat(patched.status()).as(patch + " → " + patched.body()).isLessThan(500);
		}
		assertBreakersClosed();
	}

	@Property(tries = 60)
	void anyTaskFileIsAppliedOrRefusedWholeAndOpensNoBreaker(@ForAll("taskFiles") String content) throws IOException {
		HttpCall.Answer before = tasksOf("file");
		assertThat(before.status()).isEqualTo(200);
		double applied = count(GatewayMeters.TASK_FILES_APPLIED);
		double refused = count(GatewayMeters.TASK_FILES_REFUSED);
		Path dir = Files.createDirectories(folder.resolve("file"));
		// Trailing white space of a different length each time: every try is a change to the file. A
		// lone surrogate is written as the encoder's replacement, as any editor would.
		Files.write(dir.resolve("tasks.json"),
				(content + "\n" + " ".repeat(files.incrementAndGet())).getBytes(StandardCharsets.UTF_8));
		await().atMost(Duration.ofSeconds(10))
			.until(() -> count(GatewayMeters.TASK_FILES_APPLIED) > applied || count(GatewayMeters.TASK_FILES_REFUSED) > refused);
		HttpCall.Answer after = tasksOf("file");
		assertThat(after.status()).as(after.body().toString()).isEqualTo(200);
		boolean wasRefused = count(GatewayMeters.TASK_FILES_REFUSED) > refused;
		Statistics.label("file").collect(wasRefused ? "refused" : "applied");
		if (wasRefused) {
			assertThat(after.body().path("items")).as("a refused file changes nothing").isEqualTo(before.body().path("items"));
		}
		assertBreakersClosed();
	}

	private static HttpCall.Answer tasksOf(String team) {
		return HttpCall.to(gateway.port(), "GET", "/api/teams/" + team + "/tasks?limit=100").token(TOKEN).send();
	}

	private static double count(String name) {
		return gateway.bean(MeterRegistry.class).find(name).counters().stream().mapToDouble(Counter::count).sum();
	}

	private static void assertBreakersClosed() {
		CircuitBreakerRegistry breakers = gateway.bean(CircuitBreakerRegistry.class);
		for (String name : List.of("event-store", "task-store")) {
			CircuitBreaker breaker = breakers.circuitBreaker(name);
			assertThat(breaker.getState()).as(name).isEqualTo(CircuitBreaker.State.CLOSED);
			assertThat(breaker.getMetrics().getNumberOfFailedCalls()).as(name + " failures").isZero();
		}
	}

	/** Text of every kind, JSON escapes of control characters and NUL, long and huge values. */
	private static Arbitrary<String> anyJsonValue() {
		Arbitrary<String> text = Arbitraries.strings().all().ofMaxLength(300).map(TaskInputProperties::quoted);
		Arbitrary<String> escapes = Arbitraries.of("\"\\u0000\"", "\"a\\u0000b\"", "\"\\u001f\"", "\"\\t\\n\"",
				"\"\\ud800\"", "\"" + "x".repeat(600) + "\"", "\"" + "é".repeat(20_000) + "\"");
		Arbitrary<String> other = Arbitraries.of("null", "true", "0", "-1", "1e400", "12345678901234567890", "[]", "{}",
				"[1,\"a\",null]", "\"pending\"", "\"done\"", "\"high\"", "\"low\"", "\"in-progress\"");
		return Arbitraries.frequencyOf(Tuple.of(3, text), Tuple.of(2, escapes),
				Tuple.of(2, other));
	}

	private static String quoted(String text) {
		StringBuilder quoted = new StringBuilder("\"");
		text.codePoints().forEach(c -> {
			if (c == '"' || c == '\\') {
				quoted.append('\\').appendCodePoint(c);
			}
			else if (c < 0x20) {
				quoted.append(String.format("\\u%04x", c));
			}
			else {
				quoted.appendCodePoint(c);
			}
		});
		return quoted.append('"').toString();
	}

	private static Arbitrary<String> object(List<String> fields) {
		Arbitrary<String> member = Arbitraries.of(fields).flatMap(name -> anyJsonValue().map(v -> "\"" + name + "\":" + v));
		return member.list().ofMaxSize(7).map(members -> "{" + String.join(",", members) + "}");
	}

	@Provide
	Arbitrary<String> bodies() {
		Arbitrary<String> task = object(List.of("title", "description", "status", "priority", "assignee", "dependencies",
				"version", "id"));
		return Arbitraries.frequencyOf(Tuple.of(6, task),
				Tuple.of(1, Arbitraries.strings().all().ofMaxLength(200)));
	}

	@Provide
	Arbitrary<String> taskFiles() {
		// Mostly tasks a parser takes, so that arbitrary text reaches the database; some break a rule.
		Arbitrary<String> title = Arbitraries.frequencyOf(Tuple.of(4, Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(40)
			.map(TaskInputProperties::quoted)), Tuple.of(1, anyJsonValue()));
		Arbitrary<String> status = Arbitraries.frequencyOf(
				Tuple.of(8, Arbitraries.of("\"pending\"", "\"in-progress\"", "\"done\"", "\"deferred\"")),
				Tuple.of(1, anyJsonValue()));
		Arbitrary<String> text = Arbitraries.frequencyOf(Tuple.of(1, Arbitraries.just("\"d\"")), Tuple.of(2, anyJsonValue()));
		Arbitrary<String> dependencies = Arbitraries.frequencyOf(Tuple.of(4, Arbitraries.just("[]")),
				Tuple.of(1, Arbitraries.integers().between(0, 400).list().ofMaxSize(120).map(List::toString)),
				Tuple.of(1, anyJsonValue()));
		Arbitrary<String> extra = Arbitraries.frequencyOf(Tuple.of(2, Arbitraries.just("{}")),
				Tuple.of(1, object(List.of("assignee", "details", "testStrategy", "subtasks", "priority"))));
		Arbitrary<String> task = Combinators.combine(title, status, text, dependencies, extra)
			.as((name, state, description, needs, more) -> ",\"title\":" + name + ",\"status\":" + state
					+ ",\"description\":" + description + ",\"dependencies\":" + needs
					+ (more.equals("{}") ? "" : "," + more.substring(1, more.length() - 1)) + "}");
		Arbitrary<String> array = task.list().ofMaxSize(8).map(list -> {
			StringBuilder tasks = new StringBuilder("[");
			for (int i = 0; i < list.size(); i++) {
				tasks.append(i == 0 ? "" : ",").append("{\"id\":").append(i + 1).append(list.get(i));
			}
			return tasks.append(']').toString();
		});
		Arbitrary<String> tag = Arbitraries.frequencyOf(Tuple.of(6, Arbitraries.of("master", "feature-x")),
				Tuple.of(1, Arbitraries.of("bad tag!", "")));
		Arbitrary<String> tagged = tag.flatMap(name -> array.map(list -> "{\"" + name + "\":{\"tasks\":" + list + "}}"));
		Arbitrary<String> legacy = array.map(list -> "{\"tasks\":" + list + "}");
		return Arbitraries.frequencyOf(Tuple.of(6, tagged), Tuple.of(2, legacy),
				Tuple.of(1, Arbitraries.strings().all().ofMaxLength(200)));
	}

}
