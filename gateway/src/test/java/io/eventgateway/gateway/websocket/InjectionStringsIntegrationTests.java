package io.eventgateway.gateway.websocket;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;

import io.eventgateway.gateway.testing.ExternalServices;
import io.eventgateway.gateway.testing.GatewayInstance;
import io.eventgateway.gateway.testing.HttpCall;
import io.eventgateway.gateway.testing.TestClient;
import io.eventgateway.gateway.testing.RoomHistory;
import io.eventgateway.gateway.testing.TestTokens;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Strings meant for SQL, HTML, HTTP headers and terminals, on PostgreSQL: as room or event names
 * they are refused by the name rules; as payloads and user ids they are stored and come back
 * exactly as sent, over the WebSocket and the history API. A bystander is served throughout.
 */
class InjectionStringsIntegrationTests {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final List<String> HOSTILE = List.of("'; DROP TABLE room_events; --", "' OR '1'='1", "\"; DELETE FROM tasks; --",
			"1); SELECT pg_sleep(10); --", "$$; DROP TABLE tasks; $$", "\\'; --", "%' AND 1=1 --",
			"<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "\"><svg/onload=alert(1)>", "&lt;&amp;&#x27;",
			"a\r\nSet-Cookie: session=stolen", "\r\n\r\nHTTP/1.1 200 OK\r\n", "line\nbreak", "tab\there",
			"\u0007\u001b[31mred\u001b[0m", "\u202egnp.exe", "\u2028\u2029", "\ufeffbom", "zero\u200bwidth", "\ud83d\ude00 emoji",
			"\uffff", "\u0085", "../../etc/passwd", "%2e%2e%2f", "team-1/../ops", "${jndi:ldap://x/a}", "{{7*7}}",
			"x".repeat(129));

	private static String database;

	private static GatewayInstance gateway;

	private static TestClient bystander;

	@BeforeAll
	static void start() {
		database = ExternalServices.createDatabase();
		gateway = GatewayInstance.start(
				"gateway.database.url=" + ExternalServices.r2dbcUrl(ExternalServices.postgresAddress(), database),
				"gateway.ws.bad-input-limit=1000000", "gateway.ws.request-rate=1000000", "gateway.ws.request-burst=1000000",
				"gateway.http.rate-limit=1000000", "gateway.http.rate-limit-burst=1000000", "gateway.ws.max-data-size=16KB");
		bystander = gateway.connect("alice", "*");
	}

	@AfterAll
	static void stop() {
		if (bystander != null) {
			bystander.close();
		}
		if (gateway != null) {
			gateway.close();
		}
		ExternalServices.dropDatabase(database);
	}

	private static String frame(ObjectNode request) {
		return JSON.writeValueAsString(request);
	}

	private static ObjectNode request(String type, String ref) {
		return JSON.createObjectNode().put("type", type).put("ref", ref);
	}

	@Test
	void hostileRoomAndEventNamesAreRefusedByTheNameRules() {
		String token = TestTokens.forRooms("mallory", "*");
		try (TestClient client = TestClient.connect(gateway.port(), token)) {
			for (String hostile : HOSTILE) {
				client.send(frame(request("join", "j").put("room", hostile)));
				assertRefused(client.next(), "j", hostile);
				client.send(frame(request("publish", "p").put("room", hostile).put("event", "e")));
				assertRefused(client.next(), "p", hostile);
				client.send(frame(request("publish", "e").put("room", "team-names").put("event", hostile)));
				assertRefused(client.next(), "e", hostile);

				HttpCall.Answer inPath = HttpCall.to(gateway.port(), "POST", "/api/rooms/" + pathSegment(hostile) + "/events")
					.token(token).body("{\"event\":\"e\",\"data\":1}").send();
				assertThat(inPath.status()).as(hostile + " as a room in the path: " + inPath.body()).isBetween(400, 499);
				HttpCall.Answer asEvent = HttpCall.to(gateway.port(), "POST", "/api/rooms/team-names/events").token(token)
					.body(JSON.writeValueAsString(JSON.createObjectNode().put("event", hostile).put("data", 1))).send();
				assertThat(asEvent.status()).as(hostile + " as an event name over HTTP").isEqualTo(400);
				assertServed(bystander);
			}
			client.send(frame(request("join", "longest").put("room", "r".repeat(128))));
			assertThat(client.next().path("type").asString()).as("128 characters is a room name").isEqualTo("joined");
			client.send(frame(request("publish", "e64").put("room", "team-names").put("event", "e".repeat(64))));
			assertThat(client.nextOfType("ack").path("ref").asString()).as("64 characters is an event name").isEqualTo("e64");
			client.send(frame(request("publish", "e65").put("room", "team-names").put("event", "e".repeat(65))));
			assertRefused(client.next(), "e65", "65 characters");
		}
		HttpCall.Answer history = HttpCall.to(gateway.port(), "GET", "/api/rooms/team-names/events?since=0").token(token).send();
		assertThat(history.body().path("items")).extracting(item -> item.path("event").asString())
			.as("nothing refused was stored").containsExactly("e".repeat(64));
	}

	@Test
	void hostilePayloadsAreStoredAndComeBackExactlyAsSent() {
		String room = "team-payloads";
		String token = TestTokens.forRooms("publisher", "*");
		try (TestClient subscriber = gateway.connect("subscriber", room); TestClient publisher = TestClient.connect(gateway.port(), token)) {
			subscriber.send("{\"type\":\"join\",\"room\":\"" + room + "\"}");
			subscriber.nextOfType("joined");
			List<JsonNode> sent = new java.util.ArrayList<>();
			for (String hostile : HOSTILE) {
				ObjectNode data = JSON.createObjectNode().put("s", hostile);
				data.putArray("list").add(hostile).add(hostile + hostile);
				data.put(hostile, hostile);
				sent.add(data);
				ObjectNode publish = request("publish", "p").put("room", room).put("event", "hostile");
				publish.set("data", data);
				publisher.send(frame(publish));
				assertThat(publisher.nextOfType("ack").path("ref").asString()).isEqualTo("p");
				assertVerbatim(subscriber.nextOfType("event").path("data"), data, "over the WebSocket");

				HttpCall.Answer overHttp = HttpCall.to(gateway.port(), "POST", "/api/rooms/" + room + "/events").token(token)
					.body(JSON.writeValueAsString(JSON.createObjectNode().put("event", "hostile").set("data", data))).send();
				assertThat(overHttp.status()).isEqualTo(201);
				sent.add(data);
				assertVerbatim(subscriber.nextOfType("event").path("data"), data, "published over HTTP");
			}
			// At the data limit exactly, 16 KB of UTF-8 with its quotes, and one byte over it.
			String longest = "é".repeat((16 * 1024 - 2) / 2);
			ObjectNode atLimit = request("publish", "limit").put("room", room).put("event", "hostile").put("data", longest);
			publisher.send(frame(atLimit));
			assertThat(publisher.nextOfType("ack").path("ref").asString()).isEqualTo("limit");
			sent.add(JSON.getNodeFactory().stringNode(longest));
			assertVerbatim(subscriber.nextOfType("event").path("data"), sent.get(sent.size() - 1), "at the limit");
			publisher.send(frame(atLimit.put("data", longest + "x").put("ref", "over")));
			assertRefused(publisher.nextMatching(reply -> "over".equals(reply.path("ref").asString())), "over", "too_large",
					"one byte over the limit");

			List<JsonNode> stored = RoomHistory.read(gateway.port(), room, token);
			assertThat(stored).hasSize(sent.size());
			for (int i = 0; i < sent.size(); i++) {
				assertVerbatim(stored.get(i).path("data"), sent.get(i), "from the history, seq " + (i + 1));
			}
		}
		assertServed(bystander);
	}

	/**
	 * What UTF-8 cannot carry as it is, a lone surrogate (sent as its JSON escape), and numbers no
	 * double holds, over the WebSocket and HTTP: delivered and stored as sent, not as {@code ?},
	 * {@code "Infinity"} or a rounded value.
	 */
	@Test
	void loneSurrogatesAndNumbersBeyondADoubleComeBackAsSent() {
		String room = "team-unicode";
		String token = TestTokens.forRooms("publisher", "*");
		String data = "{\"lone\":\"a\\ud800b\",\"low\":\"\\udfff\",\"reversed\":\"\\ude00\\ud83d\","
				+ "\"pair\":\"\\ud83d\\ude00\",\"huge\":1e400,\"tiny\":-1e-400,\"wide\":123456789012345678901234567890}";
		JsonNode sent = JSON.readTree(data);
		try (TestClient subscriber = gateway.connect("subscriber", room); TestClient publisher = TestClient.connect(gateway.port(), token)) {
			subscriber.send("{\"type\":\"join\",\"room\":\"" + room + "\"}");
			subscriber.nextOfType("joined");
			publisher.send("{\"type\":\"publish\",\"ref\":\"p\",\"room\":\"" + room + "\",\"event\":\"text\",\"data\":" + data + "}");
			assertThat(publisher.nextOfType("ack").path("ref").asString()).isEqualTo("p");
			assertVerbatim(subscriber.nextOfType("event").path("data"), sent, "over the WebSocket");
			HttpCall.Answer overHttp = HttpCall.to(gateway.port(), "POST", "/api/rooms/" + room + "/events").token(token)
				.body("{\"event\":\"text\",\"data\":" + data + "}").send();
			assertThat(overHttp.status()).isEqualTo(201);
			assertVerbatim(subscriber.nextOfType("event").path("data"), sent, "published over HTTP");
		}
		List<JsonNode> stored = RoomHistory.read(gateway.port(), room, token);
		assertThat(stored).hasSize(2);
		for (JsonNode event : stored) {
			assertVerbatim(event.path("data"), sent, "from the history, seq " + event.path("seq"));
			assertThat(event.path("data").path("lone").stringValue()).isEqualTo("a\ud800b");
			assertThat(event.path("data").path("huge").isNumber()).as("1e400 stays a number").isTrue();
		}
		assertServed(bystander);
	}

	@Test
	void hostileUserIdsTravelAsTheFromOfTheirEventsExactly() {
		String room = "team-users";
		try (TestClient subscriber = gateway.connect("subscriber", room)) {
			subscriber.send("{\"type\":\"join\",\"room\":\"" + room + "\"}");
			subscriber.nextOfType("joined");
			List<String> users = new java.util.ArrayList<>();
			for (String user : HOSTILE.subList(0, HOSTILE.size() - 1)) {
				if (user.isBlank()) {
					// White space only (U+2028 and U+2029 are) is no sub at all.
					assertThat(TestClient.refusal("ws://127.0.0.1:" + gateway.port() + "/ws",
							"Bearer " + TestTokens.forRooms(user, room)).status()).isEqualTo(401);
				}
				else {
					users.add(user);
				}
			}
			users.add("u".repeat(256));
			for (String user : users) {
				try (TestClient publisher = TestClient.connect(gateway.port(), TestTokens.forRooms(user, room))) {
					publisher.send(frame(request("publish", "p").put("room", room).put("event", "hello")));
					assertThat(publisher.nextOfType("ack").path("ref").asString()).as(user).isEqualTo("p");
					assertThat(subscriber.nextOfType("event").path("from").asString()).isEqualTo(user);
				}
			}
			List<JsonNode> stored = RoomHistory.read(gateway.port(), room, TestTokens.forRooms("reader", room));
			assertThat(stored).extracting(item -> item.path("from").asString()).containsExactlyElementsOf(users);
			TestClient.Refusal tooLong = TestClient.refusal("ws://127.0.0.1:" + gateway.port() + "/ws",
					"Bearer " + TestTokens.forRooms("u".repeat(257), room));
			assertThat(tooLong.status()).isEqualTo(401);
		}
		assertServed(bystander);
	}

	/** Equal as JSON, and every string in it equal in its UTF-8 bytes. */
	private static void assertVerbatim(JsonNode received, JsonNode sent, String where) {
		assertThat(received).as(where).isEqualTo(sent);
		assertThat(JSON.writeValueAsString(received).getBytes(StandardCharsets.UTF_8)).as(where)
			.isEqualTo(JSON.writeValueAsString(sent).getBytes(StandardCharsets.UTF_8));
	}

	private static void assertRefused(JsonNode reply, String ref, String what) {
		assertRefused(reply, ref, "bad_request", what);
	}

	private static void assertRefused(JsonNode reply, String ref, String code, String what) {
		assertThat(reply.path("type").asString()).as(what + " → " + reply).isEqualTo("error");
		assertThat(reply.path("code").asString()).as(what + " → " + reply).isEqualTo(code);
		assertThat(reply.path("ref").asString()).as(what).isEqualTo(ref);
	}

	private static void assertServed(TestClient client) {
		client.send("{\"type\":\"ping\",\"ref\":\"still\"}");
		assertThat(client.nextOfType("pong").path("ref").asString()).isEqualTo("still");
	}

	private static String pathSegment(String text) {
		return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
	}

}
