package io.eventgateway.core.event;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RoomEventTests {

	@Test
	void theTimestampOfAnEventLineIsReadBackFromItsWireForm() {
		RoomEvent durable = new RoomEvent("team-a", 7, "moved", "{\"ts\":1}", 1_700_000_000_123L, "id-1", "u\"1");
		RoomEvent fresh = RoomEvent.volatileEvent("team-a", "typing", "0", 0, null, null);
		assertThat(RoomEvent.timestampOfLine(durable.wire())).isEqualTo(1_700_000_000_123L);
		assertThat(RoomEvent.timestampOfLine(fresh.wire())).isZero();
	}

	@Test
	void aLineWithoutATimestampAtItsEndHasNone() {
		assertThat(RoomEvent.timestampOfLine(bytes("{\"type\":\"ack\",\"ref\":\"1\"}"))).isEqualTo(-1);
		assertThat(RoomEvent.timestampOfLine(bytes("{\"type\":\"x\",\"n\":12}"))).isEqualTo(-1);
		assertThat(RoomEvent.timestampOfLine(bytes("{\"ts\":}"))).isEqualTo(-1);
		assertThat(RoomEvent.timestampOfLine(bytes("}"))).isEqualTo(-1);
		assertThat(RoomEvent.timestampOfLine(new byte[0])).isEqualTo(-1);
	}

	private static byte[] bytes(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

}
