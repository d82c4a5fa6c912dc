package io.eventgateway.loadtest.client;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class LinesTests {

	private static final String JOINED = "{\"type\":\"joined\",\"room\":\"bench-1\",\"ref\":\"1\",\"seq\":1240,\"epoch\":\"a81f\",\"recovered\":false}";

	@Test
	void readsTheFieldsTheGeneratorNeeds() {
		assertThat(Lines.isType(JOINED, "joined")).isTrue();
		assertThat(Lines.isType(JOINED, "join")).isFalse();
		assertThat(Lines.number(JOINED, "seq")).isEqualTo(1240);
		assertThat(Lines.number(JOINED, "since")).isEqualTo(-1);
		assertThat(Lines.text(JOINED, "epoch")).isEqualTo("a81f");
		assertThat(Lines.text(JOINED, "missing")).isNull();
		assertThat(Lines.has(JOINED, "recovered", "false")).isTrue();
		assertThat(Lines.has(JOINED, "recovered", "true")).isFalse();
	}

	@Test
	void aFieldNameIsNotMistakenForALongerOne() {
		String event = "{\"type\":\"event\",\"room\":\"r\",\"seq\":7,\"event\":\"bench\",\"data\":{\"t\":123456},\"ts\":1732300000123}";

		assertThat(Lines.number(event, "t")).isEqualTo(123456);
		assertThat(Lines.number(event, "ts")).isEqualTo(1732300000123L);
	}

}
