package io.eventgateway.gateway.net;

import java.net.InetAddress;
import java.net.UnknownHostException;

import io.netty.util.NetUtil;

/** IP addresses read from text without ever asking DNS: text that is not an IP literal is refused. */
final class IpLiterals {

	private IpLiterals() {
	}

	/** The address, or {@code null} when the text is not an IPv4 or IPv6 literal. */
	static InetAddress parse(String text) {
		String literal = text.trim();
		if (literal.startsWith("[") && literal.endsWith("]")) {
			literal = literal.substring(1, literal.length() - 1);
		}
		byte[] bytes = NetUtil.createByteArrayFromIpAddressString(literal);
		if (bytes == null) {
			return null;
		}
		try {
			// IPv4-mapped IPv6 addresses come back as the IPv4 address they map.
			return InetAddress.getByAddress(bytes);
		}
		catch (UnknownHostException ex) {
			return null;
		}
	}

}
