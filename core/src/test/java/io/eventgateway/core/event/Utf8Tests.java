package io.eventgateway.core.event;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class Utf8Tests {

	@Test
	void countsWhatTheEncoderWrites() {
		for (String text : new String[] { "", "plain", "é", "日本語", "😀 emoji", "mixed é 日 😀 a", "\u0000\u007f\u0080\u07ff\u0800\uffff" }) {
			assertThat(Utf8.length(text)).as(text).isEqualTo(text.getBytes(StandardCharsets.UTF_8).length);
		}
	}

	@Test
	void aLoneSurrogateCountsAsItsReplacement() {
		assertThat(Utf8.length("a\ud800b")).isEqualTo("a\ud800b".getBytes(StandardCharsets.UTF_8).length);
	}

	@Test
	void loneSurrogatesInJsonBecomeEscapesAndPairsStay() {
		assertThat(Utf8.escapeLoneSurrogates("\"a\ud800b\"")).isEqualTo("\"a\\ud800b\"");
		assertThat(Utf8.escapeLoneSurrogates("[\"\udfff\ud800\",\"\ud83d\ude00\"]")).isEqualTo("[\"\\udfff\\ud800\",\"\ud83d\ude00\"]");
		assertThat(Utf8.escapeLoneSurrogates("\"x\ud83d\"")).isEqualTo("\"x\\ud83d\"");
		String plain = "{\"a\":\"é 😀\"}";
		assertThat(Utf8.escapeLoneSurrogates(plain)).isSameAs(plain);
	}

	@Test
	void textWithALoneSurrogateIsNotEncodable() {
		assertThat(Utf8.isEncodable("é 😀")).isTrue();
		assertThat(Utf8.isEncodable("a\ud800")).isFalse();
		assertThat(Utf8.isEncodable("\ude00a")).isFalse();
	}

}
