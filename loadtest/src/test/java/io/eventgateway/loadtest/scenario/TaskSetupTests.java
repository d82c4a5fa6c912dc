package io.eventgateway.loadtest.scenario;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TaskSetupTests {

	@Test
	void readsTheIdOfACreatedTaskWhateverItsJsonType() {
		assertThat(TaskSetup.id("{\"id\":\"01M8ENHBVZ66PQFA2Y48PC4BH7\",\"team\":\"bench\",\"version\":1}"))
			.isEqualTo("01M8ENHBVZ66PQFA2Y48PC4BH7");
		assertThat(TaskSetup.id("{\"id\":42,\"team\":\"bench\"}")).isEqualTo("42");
	}

	@Test
	void aTaskWithoutAnIdIsAnError() {
		assertThatThrownBy(() -> TaskSetup.id("{\"team\":\"bench\"}")).isInstanceOf(IllegalStateException.class);
	}

}
