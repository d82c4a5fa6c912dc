package io.eventgateway.core.publish;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class LaneSelectorTests {

	private static final int LANES = 16;

	/** "Aa" and "BB" have the same String.hashCode(), as does every string built from them. */
	private static List<String> collidingRooms() {
		List<String> rooms = new ArrayList<>();
		for (int i = 0; i < 256; i++) {
			StringBuilder room = new StringBuilder();
			for (int bit = 0; bit < 8; bit++) {
				room.append(((i >> bit) & 1) == 0 ? "Aa" : "BB");
			}
			rooms.add(room.toString());
		}
		return rooms;
	}

	@Test
	void roomsWithTheSamePlainHashAreSpreadOverTheLanes() {
		List<String> rooms = collidingRooms();
		assertThat(rooms.stream().map(String::hashCode).distinct()).hasSize(1);
		LaneSelector selector = new LaneSelector(LANES, 42L);
		assertThat(rooms.stream().map(selector::laneOf).distinct().count()).isGreaterThan(LANES / 2);
	}

	@Test
	void theLaneOfARoomDependsOnTheKey() {
		LaneSelector one = new LaneSelector(LANES, 1L);
		LaneSelector other = new LaneSelector(LANES, 2L);
		List<String> rooms = collidingRooms();
		long differing = rooms.stream().filter(room -> one.laneOf(room) != other.laneOf(room)).count();
		assertThat(differing).isGreaterThan(rooms.size() / 2);
	}

	@Test
	void aRoomAlwaysGetsTheSameLaneUnderOneKey() {
		LaneSelector selector = new LaneSelector(LANES, 7L);
		for (String room : collidingRooms()) {
			assertThat(selector.laneOf(room)).isEqualTo(selector.laneOf(new String(room))).isBetween(0, LANES - 1);
		}
	}

}
