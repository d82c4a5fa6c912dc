package io.eventgateway.gateway.store;

import java.time.Instant;
import java.util.List;

import io.eventgateway.core.store.DataRejectedException;
import io.eventgateway.core.store.EventStore;
import io.eventgateway.core.store.NewEvent;
import io.eventgateway.core.task.Task;
import io.eventgateway.core.task.TaskPriority;
import io.eventgateway.core.task.TaskRejectedException;
import io.eventgateway.core.task.TaskStatus;
import io.eventgateway.core.task.TaskStore;
import io.eventgateway.core.task.TaskWrite;
import io.eventgateway.gateway.testing.ExternalServices;
import io.eventgateway.gateway.testing.GatewayInstance;
import io.eventgateway.gateway.testing.HttpCall;
import io.eventgateway.gateway.testing.TestClient;
import io.eventgateway.gateway.testing.TestTokens;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * On PostgreSQL, which refuses NUL in text: bad data from one user is that user's fault. It is
 * answered as bad input, never opens a circuit breaker, and everyone else keeps working.
 */
class CallerFaultIntegrationTests {

	private static final int ATTEMPTS = 25;

	private static String database;

	private static GatewayInstance gateway;

	@BeforeAll
	static void start() {
		database = ExternalServices.createDatabase();
		gateway = GatewayInstance.start("gateway.database.url=" + ExternalServices.r2dbcUrl(ExternalServices.postgresAddress(), database),
				"gateway.http.rate-limit=100000", "gateway.http.rate-limit-burst=100000");
	}

	@AfterAll
	static void stop() {
		gateway.close();
		ExternalServices.dropDatabase(database);
	}

	@Test
	void badTaskTextIsA400AndAnotherTeamsWriteGoesThrough() {
		String mallory = TestTokens.forRooms("mallory", "team-*");
		for (int i = 0; i < ATTEMPTS; i++) {
			HttpCall.Answer refused = HttpCall.to(gateway.port(), "POST", "/api/teams/t/tasks").token(mallory)
				.body("{\"title\":\"\\u0000\"}").send();
			assertThat(refused.status()).as(refused.body().toString()).isEqualTo(400);
			assertThat(refused.body().path("errors").get(0).path("field").asString()).isEqualTo("title");
		}
		assertBreakersClosed();
		HttpCall.Answer created = HttpCall.to(gateway.port(), "POST", "/api/teams/other/tasks")
			.token(TestTokens.forRooms("alice", "team-*")).body("{\"title\":\"ship it\"}").send();
		assertThat(created.status()).isEqualTo(201);
	}

	@Test
	void dataTheDatabaseRefusesIsTheCallersFaultInEitherStore() {
		TaskStore tasks = gateway.bean(TaskStore.class);
		EventStore events = gateway.bean(EventStore.class);
		for (int i = 0; i < ATTEMPTS; i++) {
			Instant now = Instant.now();
			Task unstorable = new Task("nul-" + i, "t", null, "a\u0000b", null, TaskStatus.PENDING, TaskPriority.MEDIUM,
					null, List.of(), 1, now, now);
			assertThatThrownBy(() -> tasks.write(new TaskWrite.Create(unstorable)).block())
				.isInstanceOf(TaskRejectedException.class)
				.hasMessageNotContaining("0x00");
			assertThatThrownBy(() -> events.append(List.of(new NewEvent("team-nul", "e", "\"a\u0000b\"", 1L))).block())
				.isInstanceOf(DataRejectedException.class);
		}
		assertBreakersClosed();
		assertThat(events.append(List.of(new NewEvent("team-nul", "e", "1", 1L))).block()).hasSize(1);
		try (TestClient publisher = gateway.connect("p", "team-*")) {
			publisher.send("{\"type\":\"publish\",\"room\":\"team-ok\",\"event\":\"e\",\"data\":{},\"ref\":\"1\"}");
			assertThat(publisher.nextOfType("ack").path("seq").asLong()).isEqualTo(1);
			publisher.send("{\"type\":\"join\",\"room\":\"team-ok\",\"since\":0}");
			assertThat(publisher.nextOfType("joined").path("room").asString()).isEqualTo("team-ok");
		}
	}

	private static void assertBreakersClosed() {
		CircuitBreakerRegistry breakers = gateway.bean(CircuitBreakerRegistry.class);
		for (String name : new String[] { "event-store", "task-store" }) {
			CircuitBreaker breaker = breakers.circuitBreaker(name);
			assertThat(breaker.getState()).as(name).isEqualTo(CircuitBreaker.State.CLOSED);
			assertThat(breaker.getMetrics().getNumberOfFailedCalls()).as(name + " failures").isZero();
		}
	}

}
