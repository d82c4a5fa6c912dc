package io.eventgateway.gateway.net;

import java.net.InetSocketAddress;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class ClientAddressesTests {

	private static final InetSocketAddress PROXY = new InetSocketAddress("10.0.0.5", 40000);

	private static final InetSocketAddress STRANGER = new InetSocketAddress("198.51.100.9", 40000);

	private final ClientAddresses behindProxies = new ClientAddresses(
			List.of(AddressRange.parse("10.0.0.0/8"), AddressRange.parse("192.0.2.1")));

	@Test
	void withoutTrustedProxiesTheHeaderIsIgnored() {
		assertThat(ClientAddresses.peerOnly().keyOf(PROXY, List.of("203.0.113.7"))).isEqualTo("10.0.0.5");
	}

	@Test
	void aPeerThatIsNoTrustedProxyCannotNameItsAddress() {
		assertThat(this.behindProxies.keyOf(STRANGER, List.of("203.0.113.7"))).isEqualTo("198.51.100.9");
	}

	@Test
	void theRightMostHopThatIsNoTrustedProxyIsTheClient() {
		// The client sent "1.1.1.1" itself; the proxies appended what they saw.
		assertThat(this.behindProxies.keyOf(PROXY, List.of("1.1.1.1, 203.0.113.7", "192.0.2.1"))).isEqualTo("203.0.113.7");
		assertThat(this.behindProxies.keyOf(PROXY, List.of("203.0.113.7:5123"))).isEqualTo("203.0.113.7");
	}

	@Test
	void onlyTrustedHopsLeaveTheLeftMost() {
		assertThat(this.behindProxies.keyOf(PROXY, List.of("10.1.1.1, 192.0.2.1"))).isEqualTo("10.1.1.1");
	}

	@Test
	void anUnreadableHopLeavesTheProxyThatPassedItOn() {
		assertThat(this.behindProxies.keyOf(PROXY, List.of("203.0.113.7, example.com"))).isEqualTo("10.0.0.5");
		assertThat(this.behindProxies.keyOf(PROXY, List.of("unknown"))).isEqualTo("10.0.0.5");
	}

	@Test
	void ipv6ClientsAreKeyedByTheirSlash64() {
		InetSocketAddress one = new InetSocketAddress("2001:db8:1:2:aaaa::1", 1);
		InetSocketAddress other = new InetSocketAddress("2001:db8:1:2:bbbb::9", 1);
		assertThat(ClientAddresses.peerOnly().keyOf(one, List.of())).isEqualTo("2001:db8:1:2::/64")
			.isEqualTo(ClientAddresses.peerOnly().keyOf(other, List.of()));
		assertThat(this.behindProxies.keyOf(PROXY, List.of("[2001:db8:9:9::5]:443"))).isEqualTo("2001:db8:9:9::/64");
		assertThat(ClientAddresses.peerOnly().keyOf(new InetSocketAddress("::ffff:203.0.113.7", 1), List.of()))
			.isEqualTo("203.0.113.7");
	}

	@Test
	void anUnresolvedPeerIsReadAsItsLiteral() {
		assertThat(ClientAddresses.peerOnly().keyOf(InetSocketAddress.createUnresolved("203.0.113.8", 1), List.of()))
			.isEqualTo("203.0.113.8");
		assertThat(ClientAddresses.peerOnly().keyOf(InetSocketAddress.createUnresolved("localhost", 1), List.of()))
			.isEqualTo(ClientAddresses.UNKNOWN);
		assertThat(ClientAddresses.peerOnly().keyOf(null, List.of())).isEqualTo(ClientAddresses.UNKNOWN);
	}

	@Test
	void rangesAreReadWithoutDnsAndBadOnesRefusedByName() {
		assertThat(AddressRange.parse("10.0.0.0/8").contains(new InetSocketAddress("10.255.1.1", 1).getAddress())).isTrue();
		assertThat(AddressRange.parse("10.0.0.0/9").contains(new InetSocketAddress("10.128.0.1", 1).getAddress())).isFalse();
		assertThat(AddressRange.parse("fd00::/8").contains(new InetSocketAddress("fd12::1", 1).getAddress())).isTrue();
		assertThatIllegalArgumentException().isThrownBy(() -> AddressRange.parse("proxy.internal")).withMessageContaining("proxy.internal");
		assertThatIllegalArgumentException().isThrownBy(() -> AddressRange.parse("10.0.0.0/33")).withMessageContaining("0..32");
	}

}
