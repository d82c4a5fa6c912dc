package io.eventgateway.gateway.websocket;

import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

import io.eventgateway.gateway.testing.GatewayInstance;
import io.eventgateway.gateway.testing.TestClient;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Frames built to hurt: valid requests with random edits, deep nesting, huge numbers, fields of the
 * wrong type, unknown types, binary frames of any bytes. Each is answered with a documented error
 * (never {@code internal}), the connection goes on, and a well-behaved client of the same gateway is
 * served throughout.
 */
class HostileFramesProperties {

	private static final Set<String> REPLY_TYPES = Set.of("joined", "left", "ack", "event", "pong", "error");

	/** Documented answers to bad input; {@code unauthorized} is a refresh's bad token (the old token stays). */
	private static final Set<String> ERROR_CODES = Set.of("bad_request", "forbidden", "rate_limited", "too_large",
			"unauthorized");

	private static final List<String> VALID = List.of("{\"type\":\"join\",\"room\":\"team-1\",\"since\":0,\"ref\":\"j\"}",
			"{\"type\":\"leave\",\"room\":\"team-1\",\"ref\":\"l\"}",
			"{\"type\":\"publish\",\"room\":\"team-1\",\"event\":\"note.added\",\"data\":{\"a\":[1,\"b\",true,null,1.5]},\"id\":\"m-1\",\"ref\":\"p\"}",
			"{\"type\":\"publish\",\"room\":\"team-2\",\"event\":\"typing\",\"volatile\":true,\"data\":null}",
			"{\"type\":\"ping\",\"ref\":\"x\"}", "{\"type\":\"refresh\",\"token\":\"a.b.c\",\"ref\":\"r\"}");

	private static final AtomicLong probes = new AtomicLong();

	private static GatewayInstance gateway;

	private static TestClient hostile;

	private static TestClient bystander;

	@BeforeContainer
	static void start() {
		gateway = GatewayInstance.start("gateway.ws.bad-input-limit=1000000", "gateway.ws.request-rate=1000000",
				"gateway.ws.request-burst=1000000");
		hostile = gateway.connect("mallory", "team-*");
		bystander = gateway.connect("alice", "team-*");
		bystander.send("{\"type\":\"join\",\"room\":\"team-1\"}");
		bystander.nextOfType("joined");
	}

	@AfterContainer
	static void stop() {
		hostile.close();
		bystander.close();
		gateway.close();
	}

	@Property(tries = 250)
	void anyHostileTextFrameIsAnsweredWithDocumentedErrorsOnly(@ForAll("hostileFrames") String frame) {
		hostile.send(frame);
		assertAnsweredWithoutHarm(frame);
	}

	@Property(tries = 50)
	void aBinaryFrameOfAnyBytesIsABadRequest(@ForAll("anyBytes") byte[] bytes) {
		hostile.sendBinary(bytes);
		// An earlier durable publish's ack (and its event) may still be on its way: acks follow the
		// store's commit, not the order of requests.
		JsonNode reply = hostile.nextMatching(message -> !Set.of("ack", "event").contains(message.path("type").asString()));
		assertThat(reply.path("type").asString()).as(reply.toString()).isEqualTo("error");
		assertThat(reply.path("code").asString()).as(reply.toString()).isEqualTo("bad_request");
		assertAnsweredWithoutHarm("binary of " + bytes.length + " bytes");
	}

	/** Every reply up to a probe's pong is documented; the hostile connection and the bystander both go on. */
	private static void assertAnsweredWithoutHarm(String sent) {
		String ref = "probe-" + probes.incrementAndGet();
		hostile.send("{\"type\":\"ping\",\"ref\":\"" + ref + "\"}");
		JsonNode message;
		while (!isPong(message = hostile.next(), ref)) {
			String type = message.path("type").asString();
			assertThat(REPLY_TYPES).as(sent + " → " + message).contains(type);
			if ("error".equals(type)) {
				assertThat(ERROR_CODES).as(sent + " → " + message).contains(message.path("code").asString());
			}
		}
		assertThat(hostile.isClosed()).isFalse();
		bystander.send("{\"type\":\"ping\",\"ref\":\"" + ref + "\"}");
		assertThat(bystander.nextMatching(reply -> isPong(reply, ref)).path("ref").asString()).isEqualTo(ref);
		assertThat(bystander.isClosed()).isFalse();
	}

	private static boolean isPong(JsonNode message, String ref) {
		return "pong".equals(message.path("type").asString()) && ref.equals(message.path("ref").asString());
	}

	@Provide
	Arbitrary<String> hostileFrames() {
		return Arbitraries.oneOf(mutatedRequests(), deepNesting(), hugeNumbers(), wrongFieldTypes(), unknownTypes());
	}

	@Provide
	Arbitrary<byte[]> anyBytes() {
		Arbitrary<byte[]> random = Arbitraries.bytes().array(byte[].class).ofMaxSize(2000);
		// Broken UTF-8 on purpose: lone continuation bytes, truncated sequences, overlong forms, surrogates.
		Arbitrary<byte[]> invalidUtf8 = Arbitraries.of(new byte[] { (byte) 0x80 }, new byte[] { (byte) 0xC3 },
				new byte[] { (byte) 0xE2, (byte) 0x82 }, new byte[] { (byte) 0xC0, (byte) 0xAF },
				new byte[] { (byte) 0xED, (byte) 0xA0, (byte) 0x80 }, new byte[] { (byte) 0xF8, (byte) 0x88, (byte) 0x80, (byte) 0x80 },
				"{\"type\":\"ping\",\"ref\":\"\u00ff\"}".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
		return Arbitraries.oneOf(random, invalidUtf8);
	}

	/** A valid request with a few characters deleted, replaced, inserted or repeated. */
	private static Arbitrary<String> mutatedRequests() {
		Arbitrary<Mutation> mutation = Combinators.combine(Arbitraries.integers().between(0, 3),
				Arbitraries.doubles().between(0, 1), Arbitraries.chars().with("{}[]\":,\\ \n0aé\u0000\u2028\ud800"),
				Arbitraries.integers().between(1, 40))
			.as(Mutation::new);
		return Combinators.combine(Arbitraries.of(VALID), mutation.list().ofMinSize(1).ofMaxSize(5)).as((valid, edits) -> {
			StringBuilder text = new StringBuilder(valid);
			edits.forEach(edit -> edit.applyTo(text));
			return text.toString();
		});
	}

	private record Mutation(int kind, double where, char character, int length) {

		void applyTo(StringBuilder text) {
			int at = (int) (this.where * text.length());
			int end = Math.min(text.length(), at + this.length);
			switch (this.kind) {
				case 0 -> text.delete(at, end);
				case 1 -> text.insert(at, this.character);
				case 2 -> {
					if (at < text.length()) {
						text.setCharAt(at, this.character);
					}
				}
				default -> text.insert(at, text.substring(at, end).repeat(1 + this.length % 5));
			}
		}

	}

	/** Arrays or objects nested up to tens of thousands deep, closed or not, as data or as the whole line. */
	private static Arbitrary<String> deepNesting() {
		return Combinators.combine(Arbitraries.integers().between(1, 30_000), Arbitraries.of(true, false),
				Arbitraries.of(true, false), Arbitraries.of(true, false)).as((depth, arrays, closed, asData) -> {
					String open = arrays ? "[" : "{\"a\":";
					String close = arrays ? "]" : "}";
					int levels = arrays ? depth : Math.min(depth, 10_000);
					String nested = open.repeat(levels) + (arrays ? "" : "1") + (closed ? close.repeat(levels) : "");
					return asData ? "{\"type\":\"publish\",\"room\":\"team-1\",\"event\":\"deep\",\"data\":" + nested + ",\"ref\":\"d\"}"
							: nested;
				});
	}

	/** Numbers of thousands of digits, huge exponents and the non-numbers JSON has no place for, in every numeric field. */
	private static Arbitrary<String> hugeNumbers() {
		Arbitrary<String> number = Arbitraries.oneOf(
				Arbitraries.integers().between(19, 20_000).map(digits -> "9".repeat(digits)),
				Arbitraries.integers().between(1, 20_000).map(digits -> "-1." + "3".repeat(digits)),
				Arbitraries.of("1e999999999", "-1e-999999999", "1E+2147483648", "9223372036854775808", "-9223372036854775809",
						"0.0000000000000000000000001", "-0", "NaN", "Infinity", "-Infinity", "0x10", "01", "1.", ".5", "+1"));
		Arbitrary<String> field = Arbitraries.of("since", "epoch", "data", "ref", "room", "id", "type");
		return Combinators.combine(Arbitraries.of("join", "publish"), field, number)
			.as((kind, name, value) -> "{\"type\":\"" + kind + "\",\"room\":\"team-1\",\"event\":\"n\",\"ref\":\"n\",\"" + name
					+ "\":" + value + "}");
	}

	/** Every field of every request with a value of every JSON type. */
	private static Arbitrary<String> wrongFieldTypes() {
		Arbitrary<String> type = Arbitraries.of("join", "leave", "publish", "ping", "refresh");
		Arbitrary<String> field = Arbitraries.of("type", "room", "event", "data", "ref", "since", "epoch", "volatile", "id",
				"token");
		Arbitrary<String> value = Arbitraries.of("null", "true", "false", "0", "-1", "1.5", "\"\"", "\"text\"", "[]", "[1,2]",
				"{}", "{\"type\":\"ping\"}", "\"" + "x".repeat(5000) + "\"");
		return Combinators.combine(type, field, value)
			.as((kind, name, wrong) -> "{\"type\":\"" + kind + "\",\"room\":\"team-1\",\"event\":\"e\",\"ref\":\"w\",\"" + name
					+ "\":" + wrong + "}");
	}

	private static Arbitrary<String> unknownTypes() {
		Arbitrary<String> type = Arbitraries.oneOf(Arbitraries.strings().all().ofMaxLength(40)
			.map(text -> "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\""),
				Arbitraries.of("\"JOIN\"", "\"join \"", "\"pub\\u006cish\"", "\"__proto__\"", "\"constructor\"", "\"error\"",
						"\"event\"", "\"ack\""));
		return type.map(name -> "{\"type\":" + name + ",\"room\":\"team-1\",\"ref\":\"u\"}");
	}

}
