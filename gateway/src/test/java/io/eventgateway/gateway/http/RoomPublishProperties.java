package io.eventgateway.gateway.http;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import io.eventgateway.gateway.testing.ExternalServices;
import io.eventgateway.gateway.testing.GatewayInstance;
import io.eventgateway.gateway.testing.HttpCall;
import io.eventgateway.gateway.testing.RoomHistory;
import io.eventgateway.gateway.testing.TestTokens;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import net.jqwik.api.statistics.Statistics;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * On PostgreSQL: whatever a caller sends to {@code POST /api/rooms/{room}/events} (any body, any
 * idempotency key, any room name) is refused as the caller's fault with a problem document, or
 * stored and read back exactly as sent. A repeated key is answered with the first event's seq and
 * stores nothing; the history stays gap-free; the store never counts a failure.
 */
class RoomPublishProperties {

	private static final String TOKEN = TestTokens.forRooms("fuzzer", "fuzz-*");

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final AtomicInteger rooms = new AtomicInteger();

	private static final List<String> usedRooms = new ArrayList<>();

	private static String database;

	private static GatewayInstance gateway;

	@BeforeContainer
	static void start() {
		database = ExternalServices.createDatabase();
		gateway = GatewayInstance.start(
				"gateway.database.url=" + ExternalServices.r2dbcUrl(ExternalServices.postgresAddress(), database),
				"gateway.http.rate-limit=1000000", "gateway.http.rate-limit-burst=1000000");
	}

	@AfterContainer
	static void stop() {
		try {
			for (String room : usedRooms) {
				List<JsonNode> history = RoomHistory.read(gateway.port(), room, TOKEN);
				for (int i = 0; i < history.size(); i++) {
					assertThat(history.get(i).path("seq").asLong()).as(room + " is gap-free").isEqualTo(i + 1);
				}
			}
		}
		finally {
			gateway.close();
			ExternalServices.dropDatabase(database);
		}
	}

	@Property(tries = 300)
	void anyPublishIsStoredAsSentOrRefusedAsTheCallersFault(@ForAll("bodies") String body, @ForAll("keys") String key) {
		String room = "fuzz-" + rooms.incrementAndGet();
		HttpCall call = HttpCall.to(gateway.port(), "POST", "/api/rooms/" + room + "/events").token(TOKEN).body(body);
		if (!key.isEmpty()) {
			call.header("Idempotency-Key", key);
		}
		HttpCall.Answer answer = call.send();
		Statistics.label("status").collect(answer.status());
		assertThat(answer.status()).as(printable(body) + " → " + answer.body()).isLessThan(500);
		if (answer.status() >= 400) {
			assertThat(answer.contentType()).as(printable(body)).startsWith("application/problem+json");
			assertThat(answer.body().path("status").asInt()).isEqualTo(answer.status());
			assertThat(RoomHistory.read(gateway.port(), room, TOKEN)).as("a refused publish stores nothing").isEmpty();
		}
		else {
			assertThat(answer.status()).as(printable(body) + " → " + answer.body()).isEqualTo(201);
			usedRooms.add(room);
			assertStoredAsSent(room, body, answer.body().path("seq").asLong());
			if (!key.isEmpty()) {
				HttpCall.Answer again = HttpCall.to(gateway.port(), "POST", "/api/rooms/" + room + "/events")
					.token(TOKEN)
					.header("Idempotency-Key", key)
					.body(body)
					.send();
				assertThat(again.status()).as("a repeated key").isEqualTo(200);
				assertThat(again.body().path("seq").asLong()).isEqualTo(answer.body().path("seq").asLong());
				assertThat(RoomHistory.read(gateway.port(), room, TOKEN)).as("a repeat stores nothing").hasSize(1);
			}
		}
		assertStoreBreakerClosed();
	}

	@Property(tries = 100)
	void anyRoomNameIsServedOrRefusedAsTheCallersFault(@ForAll("roomNames") String room) {
		HttpCall.Answer answer = HttpCall.to(gateway.port(), "POST", "/api/rooms/" + room + "/events")
			.token(TestTokens.forRooms("fuzzer", "*"))
			.body("{\"event\":\"note.added\",\"data\":1}")
			.send();
		Statistics.label("status").collect(answer.status());
		assertThat(answer.status()).as(room + " → " + answer.body()).isIn(201, 400, 403, 404);
		if (answer.status() != 201) {
			assertThat(answer.contentType()).as(room).startsWith("application/problem+json");
		}
		assertStoreBreakerClosed();
	}

	private static void assertStoredAsSent(String room, String body, long seq) {
		JsonNode sent = JSON.readTree(body);
		List<JsonNode> history = RoomHistory.read(gateway.port(), room, TOKEN);
		assertThat(history).as(printable(body)).hasSize(1);
		JsonNode stored = history.get(0);
		assertThat(stored.path("seq").asLong()).isEqualTo(seq);
		assertThat(stored.path("event").asString()).isEqualTo(sent.path("event").asString());
		assertThat(stored.path("from").asString()).isEqualTo("fuzzer");
		JsonNode data = sent.has("data") ? sent.get("data") : JSON.nullNode();
		assertThat(stored.path("data")).as(printable(body) + " stored as " + printable(stored.path("data").toString()))
			.isEqualTo(data);
	}

	private static void assertStoreBreakerClosed() {
		CircuitBreaker breaker = gateway.bean(CircuitBreakerRegistry.class).circuitBreaker("event-store");
		assertThat(breaker.getState()).isEqualTo(CircuitBreaker.State.CLOSED);
		assertThat(breaker.getMetrics().getNumberOfFailedCalls()).as("store failures").isZero();
	}

	/** Any JSON value: text of every kind with escapes, numbers at and past their limits, nesting. */
	private static Arbitrary<String> anyJsonValue() {
		Arbitrary<String> text = Arbitraries.strings().all().ofMaxLength(200).map(RoomPublishProperties::quoted);
		Arbitrary<String> escapes = Arbitraries.of("\"\\u0000\"", "\"a\\u0000b\"", "\"\\u001f\"", "\"\\ud800\"",
				"\"\\udfff\\ud800\"", "\"\\\"'; DROP TABLE room_events; --\"", "\"<script>x</script>\"",
				"\"" + "é".repeat(5_000) + "\"");
		Arbitrary<String> numbers = Arbitraries.of("0", "-0", "-1", "1.5", "1e400", "-1e400", "1e-400", "12345678901234567890",
				"123456789012345678901234567890.000000000000000000001", "9007199254740993", "0.1", "1E+2147483648");
		Arbitrary<String> other = Arbitraries.of("null", "true", "false", "[]", "{}", "[1,\"a\",null]",
				"{\"a\":{\"b\":[{}]}}", "[".repeat(40) + "]".repeat(40));
		return Arbitraries.frequencyOf(Tuple.of(3, text), Tuple.of(2, escapes), Tuple.of(2, numbers), Tuple.of(2, other));
	}

	/** A JSON string of the text; a lone surrogate, which UTF-8 cannot carry, is sent as its escape. */
	private static String quoted(String text) {
		StringBuilder quoted = new StringBuilder("\"");
		text.codePoints().forEach(c -> {
			if (c == '"' || c == '\\') {
				quoted.append('\\').appendCodePoint(c);
			}
			else if (c < 0x20 || Character.isSurrogate((char) c)) {
				quoted.append(String.format("\\u%04x", c));
			}
			else {
				quoted.appendCodePoint(c);
			}
		});
		return quoted.append('"').toString();
	}

	@Provide
	Arbitrary<String> bodies() {
		Arbitrary<String> eventName = Arbitraries.frequencyOf(Tuple.of(6, Arbitraries.of("\"note.added\"", "\"a:b-c_d.e\"")),
				Tuple.of(1, Arbitraries.of("\"presence.joined\"", "\"\"", "\"" + "e".repeat(65) + "\"", "\"bad name\"")),
				Tuple.of(1, anyJsonValue()));
		Arbitrary<String> member = Arbitraries.frequencyOf(Tuple.of(3, anyJsonValue().map(v -> "\"data\":" + v)),
				Tuple.of(1, anyJsonValue().map(v -> "\"volatile\":" + v)),
				Tuple.of(1, anyJsonValue().map(v -> "\"id\":" + v)),
				Tuple.of(1, anyJsonValue().map(v -> "\"other\":" + v)));
		Arbitrary<String> object = eventName.flatMap(name -> member.list()
			.ofMaxSize(3)
			.map(members -> "{\"event\":" + name + (members.isEmpty() ? "" : "," + String.join(",", members)) + "}"));
		return Arbitraries.frequencyOf(Tuple.of(8, object), Tuple.of(1, anyJsonValue()),
				Tuple.of(1, Arbitraries.strings().all().ofMaxLength(100)));
	}

	@Provide
	Arbitrary<String> keys() {
		return Arbitraries.frequencyOf(Tuple.of(3, Arbitraries.just("")),
				Tuple.of(3, Arbitraries.strings().withCharRange('a', 'z').ofMinLength(1).ofMaxLength(64)),
				Tuple.of(1, Arbitraries.of("has space", "x".repeat(65), "semi;colon", "ünicode", "'quote")));
	}

	@Provide
	Arbitrary<String> roomNames() {
		Arbitrary<String> valid = Arbitraries.strings().withChars("abcXYZ019._:-").ofMinLength(1).ofMaxLength(128);
		Arbitrary<String> encoded = Arbitraries.strings().all().ofMinLength(1).ofMaxLength(140).map(RoomPublishProperties::percentEncoded);
		return Arbitraries.frequencyOf(Tuple.of(1, valid), Tuple.of(2, encoded),
				Tuple.of(1, Arbitraries.of("x".repeat(129), "%00", "%2e%2e", "a%2Fb", "room%0d%0aX-Injected:%201")));
	}

	/** The text with everything but printable ASCII escaped, so that a failure reads whole. */
	private static String printable(String text) {
		StringBuilder printable = new StringBuilder();
		text.chars().forEach(c -> printable.append((c >= 0x20 && c < 0x7f) ? String.valueOf((char) c) : String.format("\\u%04x", c)));
		return printable.toString();
	}

	private static String percentEncoded(String text) {
		StringBuilder encoded = new StringBuilder();
		for (byte b : text.getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
			int c = b & 0xff;
			if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_') {
				encoded.append((char) c);
			}
			else {
				encoded.append('%').append(String.format("%02X", c));
			}
		}
		return encoded.toString();
	}

}
