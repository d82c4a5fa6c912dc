package io.eventgateway.loadtest.client;

import java.net.URI;

import io.eventgateway.loadtest.UsageException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TargetsTests {

	@Test
	void anyLoopbackAddressIsATarget() {
		assertThat(Targets.parse("ws://127.0.0.1:8080/ws, ws://127.0.0.9:8081/ws,http://localhost:8080"))
			.extracting(URI::getHost).containsExactly("127.0.0.1", "127.0.0.9", "localhost");
	}

	@Test
	void addressesOffThisMachineAreRefused() {
		assertThatThrownBy(() -> Targets.parse("ws://10.0.0.1:8080/ws")).isInstanceOf(UsageException.class)
			.hasMessageContaining("loopback");
		assertThatThrownBy(() -> Targets.parse("ws://127.0.0.1/ws,ws://192.168.1.2/ws")).isInstanceOf(UsageException.class);
		assertThatThrownBy(() -> Targets.parse("not a url")).isInstanceOf(UsageException.class);
		assertThatThrownBy(() -> Targets.parse("")).isInstanceOf(UsageException.class);
	}

	@Test
	void theHttpRootOfAWebSocketUrlDropsItsPath() {
		assertThat(Targets.httpRoot(URI.create("ws://127.0.0.1:18300/ws"))).isEqualTo(URI.create("http://127.0.0.1:18300"));
		assertThat(Targets.httpRoot(URI.create("wss://127.0.0.1/ws"))).isEqualTo(URI.create("https://127.0.0.1"));
		assertThat(Targets.httpRoot(URI.create("http://127.0.0.1:8080/x"))).isEqualTo(URI.create("http://127.0.0.1:8080"));
	}

}
