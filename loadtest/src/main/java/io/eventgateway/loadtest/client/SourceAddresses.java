package io.eventgateway.loadtest.client;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import io.eventgateway.loadtest.UsageException;
import reactor.netty.http.client.HttpClient;

/**
 * Local addresses that outgoing connections are bound to in turn. Each address has its own
 * ephemeral port range, so N addresses let one machine hold N times as many connections to one
 * server port.
 */
public final class SourceAddresses implements Supplier<SocketAddress> {

	/** More than this many addresses is a typo, not a test plan. */
	static final int MAX_ADDRESSES = 65_536;

	private final List<InetAddress> addresses;

	private final AtomicLong next = new AtomicLong();

	private SourceAddresses(List<InetAddress> addresses) {
		this.addresses = List.copyOf(addresses);
	}

	/** No binding: the kernel picks the source address. */
	public static SourceAddresses none() {
		return new SourceAddresses(List.of());
	}

	/** {@code 127.0.0.1-127.0.0.20}, {@code 127.0.0.1,127.0.0.2}, or both mixed: {@code 127.0.0.1-127.0.0.5,127.0.1.1}. */
	public static SourceAddresses parse(String spec) {
		List<InetAddress> addresses = new ArrayList<>();
		for (String part : spec.split(",")) {
			String item = part.trim();
			if (item.isEmpty()) {
				continue;
			}
			int dash = item.indexOf('-');
			if (dash < 0) {
				addresses.add(ipv4(item));
				continue;
			}
			long first = toLong(ipv4(item.substring(0, dash)));
			long last = toLong(ipv4(item.substring(dash + 1)));
			if (last < first) {
				throw new UsageException("--source-addresses: range runs backwards: " + item);
			}
			if (addresses.size() + last - first + 1 > MAX_ADDRESSES) {
				throw new UsageException("--source-addresses: more than " + MAX_ADDRESSES + " addresses");
			}
			for (long value = first; value <= last; value++) {
				addresses.add(fromLong(value));
			}
		}
		if (addresses.isEmpty()) {
			throw new UsageException("--source-addresses: no address in '" + spec + "'");
		}
		return new SourceAddresses(addresses);
	}

	public List<InetAddress> addresses() {
		return this.addresses;
	}

	public boolean isEmpty() {
		return this.addresses.isEmpty();
	}

	/** The next address in turn, with port 0 so the kernel picks a free port of that address. */
	@Override
	public SocketAddress get() {
		int at = (int) (this.next.getAndIncrement() % this.addresses.size());
		return new InetSocketAddress(this.addresses.get(at), 0);
	}

	/** The client with each new connection bound to the next address; unchanged when there are none. */
	public HttpClient bind(HttpClient client) {
		return this.addresses.isEmpty() ? client : client.bindAddress(this);
	}

	private static InetAddress ipv4(String text) {
		String[] octets = text.trim().split("\\.");
		if (octets.length != 4) {
			throw new UsageException("--source-addresses: not an IPv4 address: " + text);
		}
		byte[] bytes = new byte[4];
		for (int i = 0; i < 4; i++) {
			int octet;
			try {
				octet = Integer.parseInt(octets[i]);
			}
			catch (NumberFormatException ex) {
				throw new UsageException("--source-addresses: not an IPv4 address: " + text);
			}
			if (octet < 0 || octet > 255) {
				throw new UsageException("--source-addresses: not an IPv4 address: " + text);
			}
			bytes[i] = (byte) octet;
		}
		return fromBytes(bytes);
	}

	private static long toLong(InetAddress address) {
		long value = 0;
		for (byte b : address.getAddress()) {
			value = (value << 8) | (b & 0xff);
		}
		return value;
	}

	private static InetAddress fromLong(long value) {
		return fromBytes(new byte[] { (byte) (value >>> 24), (byte) (value >>> 16), (byte) (value >>> 8), (byte) value });
	}

	private static InetAddress fromBytes(byte[] bytes) {
		try {
			return (Inet4Address) InetAddress.getByAddress(bytes);
		}
		catch (UnknownHostException ex) {
			throw new IllegalStateException("four bytes are always an address", ex);
		}
	}

}
