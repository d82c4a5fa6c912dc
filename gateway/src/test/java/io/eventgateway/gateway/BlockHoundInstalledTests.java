package io.eventgateway.gateway;

import org.junit.jupiter.api.Test;
import reactor.blockhound.BlockingOperationError;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The suite runs with BlockHound: a blocking call on a non-blocking thread fails the test that makes it. */
class BlockHoundInstalledTests {

	@Test
	void blockingOnANonBlockingThreadIsCaught() {
		assertThatThrownBy(() -> Mono.fromCallable(() -> {
			Thread.sleep(1);
			return 1;
		}).subscribeOn(Schedulers.parallel()).block())
			.hasCauseInstanceOf(BlockingOperationError.class);
	}

}
