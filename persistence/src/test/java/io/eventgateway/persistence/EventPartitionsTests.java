package io.eventgateway.persistence;

import java.util.List;

import io.eventgateway.persistence.EventPartitions.Range;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class EventPartitionsTests {

	@Test
	void rowDeletesLeaveThePartitionsBeginningBeforeTheCutoffInOneRangeWhenTheyTouch() {
		List<Range> ranges = List.of(Range.of(100, 200), Range.of(200, 300), Range.of(300, 400));

		assertThat(EventPartitions.outsideOf(ranges, 250)).isEqualTo(" AND (ts < 100 OR ts >= 300)");
		assertThat(EventPartitions.outsideOf(ranges, 100)).isEmpty();
		assertThat(EventPartitions.outsideOf(List.of(), 1_000)).isEmpty();
	}

	@Test
	void aGapBetweenPartitionsSplitsTheRangesLeftAlone() {
		List<Range> ranges = List.of(Range.of(100, 200), Range.of(300, 400), Range.of(400, 500));

		assertThat(EventPartitions.outsideOf(ranges, 450))
			.isEqualTo(" AND (ts < 100 OR ts >= 200) AND (ts < 300 OR ts >= 500)");
	}

	@Test
	void aPartitionIsNamedByItsBounds() {
		assertThat(Range.of(1_764_806_400_000L, 1_764_828_000_000L).table()).isEqualTo("room_events_1764806400000_1764828000000");
	}

}
