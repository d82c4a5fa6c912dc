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

}
