package io.eventgateway.gateway.websocket;

import java.util.Arrays;
import java.util.List;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import static org.assertj.core.api.Assertions.assertThat;

/** The decoder answers every line with exactly one request, and reads valid requests exactly. */
class FrameDecoderProperties {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final FrameDecoder decoder = new FrameDecoder(JSON, 16_384, 100);

	@Property(tries = 500)
	void everyNonBlankLineYieldsOneRequestWhateverItHolds(@ForAll("lines") List<String> lines) {
		String frame = String.join("\n", lines);
		// The contract separates messages with \n only (a \r inside a line is part of it).
		long nonBlank = Arrays.stream(frame.split("\n", -1)).filter(line -> !line.strip().isEmpty()).count();
		assertThat(this.decoder.decode(frame)).hasSize((int) nonBlank);
	}

	@Property(tries = 300)
	void aValidPublishRoundTrips(@ForAll("rooms") String room, @ForAll("events") String event, @ForAll("refs") String ref,
			@ForAll("data") JsonNode data, @ForAll boolean isVolatile) {
		ObjectNode message = JSON.createObjectNode().put("type", "publish").put("room", room).put("event", event).put("ref", ref)
			.put("volatile", isVolatile);
		message.set("data", data);
		ClientRequest decoded = this.decoder.decodeLine(JSON.writeValueAsString(message));
		assertThat(decoded).isInstanceOf(ClientRequest.Publish.class);
		ClientRequest.Publish publish = (ClientRequest.Publish) decoded;
		assertThat(publish.room()).isEqualTo(room);
		assertThat(publish.event()).isEqualTo(event);
		assertThat(publish.ref()).isEqualTo(ref);
		assertThat(publish.isVolatile()).isEqualTo(isVolatile);
		assertThat(JSON.writeValueAsString(JSON.readTree(publish.data()))).isEqualTo(JSON.writeValueAsString(data));
	}

	@Property(tries = 300)
	void badFieldsAreBadRequestsThatEchoOnlyAValidRef(@ForAll("refs") String ref, @ForAll("badJoins") String badField) {
		String line = "{\"type\":\"join\",\"ref\":\"" + ref + "\"," + badField + "}";
		ClientRequest decoded = this.decoder.decodeLine(line);
		assertThat(decoded).isInstanceOf(ClientRequest.Invalid.class);
		assertThat(((ClientRequest.Invalid) decoded).code()).isEqualTo(ErrorCode.BAD_REQUEST);
		assertThat(decoded.ref()).isEqualTo(ref);

		ClientRequest longRef = this.decoder.decodeLine("{\"type\":\"ping\",\"ref\":\"" + "r".repeat(65) + "\"}");
		assertThat(longRef).isInstanceOf(ClientRequest.Invalid.class);
		assertThat(longRef.ref()).isNull();
	}

	@Provide
	Arbitrary<List<String>> lines() {
		return Arbitraries.oneOf(Arbitraries.strings().all().ofMaxLength(200),
				Arbitraries.of("{}", "[]", "null", "{\"type\":1}", "{\"type\":\"ping\"}", "{\"type\":\"join\",\"room\":\"a\"}",
						"{\"type\":\"publish\",\"room\":\"a\",\"event\":\"e\",\"data\":[1,{\"x\":null}]}", "1e999999"))
			.list()
			.ofMaxSize(6);
	}

	@Provide
	Arbitrary<String> rooms() {
		return Arbitraries.strings().withChars("ABCXYZabcxyz0189._:-").ofMinLength(1).ofMaxLength(128);
	}

	@Provide
	Arbitrary<String> events() {
		return Arbitraries.strings().withChars("abcXYZ09._:-").ofMinLength(1).ofMaxLength(64);
	}

	@Provide
	Arbitrary<String> refs() {
		return Arbitraries.strings().alpha().numeric().ofMinLength(1).ofMaxLength(64);
	}

	@Provide
	Arbitrary<JsonNode> data() {
		Arbitrary<JsonNode> scalars = Arbitraries.oneOf(Arbitraries.strings().ofMaxLength(40).map(JSON::valueToTree),
				Arbitraries.longs().map(JSON::valueToTree), Arbitraries.of(true, false).map(JSON::valueToTree),
				Arbitraries.just(JSON.nullNode()));
		return Combinators.combine(Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(8), scalars)
			.as((key, value) -> (JsonNode) JSON.createObjectNode().set(key, value))
			.injectNull(0)
			.map(node -> node);
	}

	@Provide
	Arbitrary<String> badJoins() {
		return Arbitraries.of("\"room\":\"bad room\"", "\"room\":\"\"", "\"room\":5", "\"room\":\"" + "a".repeat(129) + "\"",
				"\"room\":\"a\",\"since\":-1", "\"room\":\"a\",\"since\":1.5", "\"room\":\"a\",\"since\":\"3\"",
				"\"room\":\"a\",\"epoch\":7", "\"since\":3");
	}

}
