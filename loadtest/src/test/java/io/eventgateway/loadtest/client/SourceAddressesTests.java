package io.eventgateway.loadtest.client;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.stream.IntStream;

import io.eventgateway.loadtest.UsageException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SourceAddressesTests {

	@Test
	void aRangeListsEveryAddressInIt() {
		SourceAddresses addresses = SourceAddresses.parse("127.0.0.1-127.0.0.20");

		assertThat(addresses.addresses()).hasSize(20);
		assertThat(addresses.addresses().get(0).getHostAddress()).isEqualTo("127.0.0.1");
		assertThat(addresses.addresses().get(19).getHostAddress()).isEqualTo("127.0.0.20");
	}

	@Test
	void aRangeMayCrossAnOctet() {
		SourceAddresses addresses = SourceAddresses.parse("127.0.0.254-127.0.1.1");

		assertThat(addresses.addresses()).extracting(InetAddress::getHostAddress)
			.containsExactly("127.0.0.254", "127.0.0.255", "127.0.1.0", "127.0.1.1");
	}

	@Test
	void listsAndRangesMix() {
		SourceAddresses addresses = SourceAddresses.parse("127.0.0.1, 127.0.0.5-127.0.0.6,127.0.2.1");

		assertThat(addresses.addresses()).extracting(InetAddress::getHostAddress)
			.containsExactly("127.0.0.1", "127.0.0.5", "127.0.0.6", "127.0.2.1");
	}

	@Test
	void connectionsTakeTheAddressesInTurnWithAnyFreePort() {
		SourceAddresses addresses = SourceAddresses.parse("127.0.0.2-127.0.0.4");

		assertThat(IntStream.range(0, 7).mapToObj(i -> (InetSocketAddress) addresses.get()))
			.extracting(address -> address.getAddress().getHostAddress() + ":" + address.getPort())
			.containsExactly("127.0.0.2:0", "127.0.0.3:0", "127.0.0.4:0", "127.0.0.2:0", "127.0.0.3:0", "127.0.0.4:0", "127.0.0.2:0");
	}

	@Test
	void noneLeavesTheChoiceToTheKernel() {
		assertThat(SourceAddresses.none().isEmpty()).isTrue();
	}

	@Test
	void badSpecsAreUsageErrors() {
		assertThatThrownBy(() -> SourceAddresses.parse("127.0.0.9-127.0.0.1")).isInstanceOf(UsageException.class)
			.hasMessageContaining("backwards");
		assertThatThrownBy(() -> SourceAddresses.parse("127.0.0")).isInstanceOf(UsageException.class);
		assertThatThrownBy(() -> SourceAddresses.parse("127.0.0.256")).isInstanceOf(UsageException.class);
		assertThatThrownBy(() -> SourceAddresses.parse("localhost")).isInstanceOf(UsageException.class);
		assertThatThrownBy(() -> SourceAddresses.parse(" , ")).isInstanceOf(UsageException.class);
		assertThatThrownBy(() -> SourceAddresses.parse("10.0.0.0-10.2.0.0")).isInstanceOf(UsageException.class)
			.hasMessageContaining("more than");
	}

}
