package io.eventgateway.gateway.net;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import io.netty.channel.Channel;
import io.netty.util.AttributeKey;
import io.netty.util.NetUtil;

/**
 * Who a request comes from, as the key of the per-client limits. The peer of the TCP connection (or
 * the source a PROXY protocol header named) is the client, unless it is one of the configured trusted
 * proxies: then {@code X-Forwarded-For} is read from the right, and the first hop that is not a trusted
 * proxy is the client. A client cannot pick its key by sending the header itself: hops left of the
 * first untrusted one are never read. IPv6 clients are keyed by their /64, the block one subscriber
 * usually holds.
 */
public final class ClientAddresses {

	/** The header a trusted proxy names the hops in. */
	public static final String FORWARDED_FOR = "X-Forwarded-For";

	/** The key of a request whose peer address cannot be read. */
	public static final String UNKNOWN = "unknown";

	private static final int IPV6_SUBSCRIBER_PREFIX_BYTES = 8;

	/**
	 * Where Reactor Netty keeps the source of a connection's PROXY protocol header (its
	 * {@code HAProxyMessageReader}); WebFlux requests see it as their remote address.
	 */
	private static final AttributeKey<SocketAddress> PROXY_PROTOCOL_SOURCE = AttributeKey.valueOf("remoteAddressFromProxyProtocol");

	private final List<AddressRange> trustedProxies;

	public ClientAddresses(List<AddressRange> trustedProxies) {
		this.trustedProxies = List.copyOf(trustedProxies);
	}

	/** Only the peer counts: no proxy is trusted. */
	public static ClientAddresses peerOnly() {
		return new ClientAddresses(List.of());
	}

	/**
	 * @param peer the connection's peer (the PROXY protocol source when there was one)
	 * @param forwardedFor the values of every {@code X-Forwarded-For} header, in order
	 * @return the client's limit key: an IPv4 address, or an IPv6 /64 such as {@code 2001:db8:1:2::/64}
	 */
	public String keyOf(SocketAddress peer, List<String> forwardedFor) {
		InetAddress client = addressOf(peer);
		if (client == null) {
			return UNKNOWN;
		}
		if (isTrusted(client) && !forwardedFor.isEmpty()) {
			List<String> hops = hops(forwardedFor);
			for (int i = hops.size() - 1; i >= 0; i--) {
				InetAddress hop = IpLiterals.parse(withoutPort(hops.get(i)));
				if (hop == null) {
					// Garbage from the hop to its left: the trusted proxy that passed it on is the client.
					break;
				}
				client = hop;
				if (!isTrusted(hop)) {
					break;
				}
			}
		}
		return key(client);
	}

	private boolean isTrusted(InetAddress address) {
		for (AddressRange range : this.trustedProxies) {
			if (range.contains(address)) {
				return true;
			}
		}
		return false;
	}

	/** The channel's peer: the source its PROXY protocol header named, when it had one. */
	public static SocketAddress peerOf(Channel channel) {
		SocketAddress proxied = channel.hasAttr(PROXY_PROTOCOL_SOURCE) ? channel.attr(PROXY_PROTOCOL_SOURCE).get() : null;
		return (proxied != null) ? proxied : channel.remoteAddress();
	}

	private static InetAddress addressOf(SocketAddress peer) {
		if (peer instanceof InetSocketAddress inet) {
			// A PROXY protocol source is unresolved: its host string is the literal.
			return (inet.getAddress() != null) ? inet.getAddress() : IpLiterals.parse(inet.getHostString());
		}
		return null;
	}

	private static List<String> hops(List<String> headers) {
		List<String> hops = new ArrayList<>();
		for (String header : headers) {
			for (String hop : header.split(",")) {
				if (!hop.isBlank()) {
					hops.add(hop.trim());
				}
			}
		}
		return hops;
	}

	/** {@code 192.0.2.1:4711} and {@code [2001:db8::1]:4711} without their ports. */
	private static String withoutPort(String hop) {
		if (hop.startsWith("[")) {
			int end = hop.indexOf(']');
			return (end > 0) ? hop.substring(0, end + 1) : hop;
		}
		int colon = hop.indexOf(':');
		return (colon > 0 && colon == hop.lastIndexOf(':')) ? hop.substring(0, colon) : hop;
	}

	private static String key(InetAddress address) {
		if (!(address instanceof Inet6Address)) {
			return address.getHostAddress();
		}
		byte[] block = Arrays.copyOf(Arrays.copyOf(address.getAddress(), IPV6_SUBSCRIBER_PREFIX_BYTES), 16);
		try {
			return NetUtil.toAddressString(InetAddress.getByAddress(block)) + "/64";
		}
		catch (UnknownHostException ex) {
			throw new IllegalStateException("16 bytes are an IPv6 address", ex);
		}
	}

}
