package io.eventgateway.core.event;

import java.util.regex.Pattern;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import static org.assertj.core.api.Assertions.assertThat;

/** The name rules of the wire contract, against the patterns the contract states them in. */
class NamesTests {

	private static final Pattern ROOM = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

	private static final Pattern EVENT = Pattern.compile("[A-Za-z0-9._:-]{1,64}");

	@Property(tries = 2000)
	void aNameIsValidExactlyWhenTheContractsPatternMatchesIt(@ForAll("candidates") String text) {
		assertThat(Names.isValidRoom(text)).as("room %s", text).isEqualTo(ROOM.matcher(text).matches());
		assertThat(Names.isValidEvent(text)).as("event %s", text).isEqualTo(EVENT.matcher(text).matches());
		assertThat(Names.isValidEventId(text)).as("id %s", text).isEqualTo(EVENT.matcher(text).matches());
	}

	@Example
	void nothingIsValidWithoutText() {
		assertThat(Names.isValidRoom(null)).isFalse();
		assertThat(Names.isValidEvent("")).isFalse();
		assertThat(Names.isValidEventId(null)).isFalse();
	}

	/** Mostly allowed characters around the length limits, with now and then one that is not. */
	@Provide
	Arbitrary<String> candidates() {
		Arbitrary<Character> allowed = Arbitraries.of("abcxyzABCXYZ0189._:-".toCharArray()).map(c -> c);
		Arbitrary<Character> other = Arbitraries.of(' ', '/', '"', '\\', '@', '[', '`', '{', '\u00e9', '\u0000', '\ud83d', '\u2028')
			.map(c -> c);
		Arbitrary<Character> any = Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(30, allowed), net.jqwik.api.Tuple.of(1, other));
		return any.list().ofMinSize(0).ofMaxSize(140).map(chars -> {
			StringBuilder text = new StringBuilder(chars.size());
			chars.forEach(text::append);
			return text.toString();
		});
	}

}
