package io.eventgateway.gateway.testing;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A private Redis is the process that answers at its address, after every start. */
class PrivateRedisTests {

	@Test
	void theServerAnsweringIsTheOneStartedAndRestarted() {
		try (PrivateRedis redis = new PrivateRedis().start()) {
			redis.kill();
			redis.start();
			assertThat(redis.url()).doesNotEndWith(":6379");
		}
	}

	@Test
	void infoFieldsAreReadFromTheirLine() {
		String info = "# Server\r\nredis_version:7.0.15\r\nprocess_id:4242\r\nrun_id:abc\r\n";
		assertThat(PrivateRedis.infoField(info, "process_id")).isEqualTo("4242");
		assertThat(PrivateRedis.infoField(info, "run_id")).isEqualTo("abc");
		assertThatThrownBy(() -> PrivateRedis.infoField(info, "tcp_port")).hasMessageContaining("no tcp_port");
	}

}
