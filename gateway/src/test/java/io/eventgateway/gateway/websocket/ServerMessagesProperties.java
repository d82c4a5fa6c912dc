package io.eventgateway.gateway.websocket;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import static org.assertj.core.api.Assertions.assertThat;

/** The ack of every publish is written by hand where its ref is plain: byte for byte what Jackson writes. */
class ServerMessagesProperties {

	private final ObjectMapper json = JsonMapper.builder().build();

	private final ServerMessages messages = new ServerMessages(this.json);

	@Property(tries = 3000)
	void anAckIsTheJsonJacksonWrites(@ForAll("refs") String ref, @ForAll("rooms") String room, @ForAll("seqs") Long seq,
			@ForAll boolean duplicate) {
		ObjectNode expected = this.json.createObjectNode().put("type", "ack").put("ref", ref).put("room", room);
		if (seq != null) {
			expected.put("seq", seq);
		}
		if (duplicate) {
			expected.put("duplicate", true);
		}

		assertThat(this.messages.ack(ref, room, seq, duplicate)).isEqualTo(this.json.writeValueAsBytes(expected));
	}

	/** Mostly plain refs, and now and then one with a quote, a backslash, a control or a non-ASCII character. */
	@Provide
	Arbitrary<String> refs() {
		Arbitrary<String> unusual = Arbitraries.of("a", "\"", "\\", "\n", "\u0001", "\u007f", "\u00e9", "\u2028", "\ud83d\ude00")
			.list().ofMaxSize(6).map(parts -> String.join("", parts));
		return Arbitraries.oneOf(Arbitraries.strings().withCharRange(' ', '~').ofMaxLength(40), unusual);
	}

	@Provide
	Arbitrary<String> rooms() {
		return Arbitraries.strings().withChars("abcXYZ019._:-".toCharArray()).ofMinLength(1).ofMaxLength(128);
	}

	@Provide
	Arbitrary<Long> seqs() {
		return Arbitraries.longs().greaterOrEqual(0).injectNull(0.1);
	}

}
