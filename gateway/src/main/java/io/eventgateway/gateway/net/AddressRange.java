package io.eventgateway.gateway.net;

import java.net.InetAddress;

/** A block of IP addresses written as CIDR ({@code 10.0.0.0/8}, {@code fd00::/8}) or as one address. */
public record AddressRange(byte[] network, int prefixLength) {

	/** The range of a CIDR or a single address; refused with a message naming it when unreadable. */
	public static AddressRange parse(String text) {
		String trimmed = text.trim();
		int slash = trimmed.indexOf('/');
		InetAddress address = IpLiterals.parse((slash < 0) ? trimmed : trimmed.substring(0, slash));
		if (address == null) {
			throw new IllegalArgumentException("'" + text + "' is not an IP address or CIDR range");
		}
		byte[] bytes = address.getAddress();
		int bits = bytes.length * 8;
		int prefix = bits;
		if (slash >= 0) {
			try {
				prefix = Integer.parseInt(trimmed.substring(slash + 1));
			}
			catch (NumberFormatException ex) {
				prefix = -1;
			}
			if (prefix < 0 || prefix > bits) {
				throw new IllegalArgumentException("'" + text + "' has a prefix length outside 0.." + bits);
			}
		}
		return new AddressRange(bytes, prefix);
	}

	public boolean contains(InetAddress address) {
		byte[] candidate = address.getAddress();
		if (candidate.length != this.network.length) {
			return false;
		}
		int full = this.prefixLength / 8;
		for (int i = 0; i < full; i++) {
			if (candidate[i] != this.network[i]) {
				return false;
			}
		}
		int rest = this.prefixLength % 8;
		if (rest == 0) {
			return true;
		}
		int mask = (0xFF << (8 - rest)) & 0xFF;
		return (candidate[full] & mask) == (this.network[full] & mask);
	}

}
