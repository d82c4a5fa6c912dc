package io.eventgateway.loadtest.client;

import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.util.Arrays;
import java.util.List;

import io.eventgateway.loadtest.UsageException;

/** Gateway URLs the generator may aim at: this machine only (any of 127.0.0.0/8, or ::1). */
public final class Targets {

	private Targets() {
	}

	/** A comma list of URLs, each on a loopback address. */
	public static List<URI> parse(String list) {
		List<URI> urls = Arrays.stream(list.split(",")).map(String::trim).filter(s -> !s.isEmpty()).map(Targets::one).toList();
		if (urls.isEmpty()) {
			throw new UsageException("no URL in '" + list + "'");
		}
		return urls;
	}

	private static URI one(String text) {
		URI url;
		try {
			url = URI.create(text);
		}
		catch (IllegalArgumentException ex) {
			throw new UsageException("not a URL: " + text);
		}
		if (url.getHost() == null) {
			throw new UsageException("no host in " + text);
		}
		try {
			if (!InetAddress.getByName(url.getHost()).isLoopbackAddress()) {
				throw new UsageException("only loopback targets are allowed, not " + url);
			}
		}
		catch (IOException ex) {
			throw new UsageException("cannot resolve " + url, ex);
		}
		return url;
	}

	/** The HTTP root of a gateway given by its WebSocket or HTTP URL: {@code ws://h:p/ws} gives {@code http://h:p}. */
	public static URI httpRoot(URI url) {
		String scheme = switch (url.getScheme()) {
			case "ws", "http" -> "http";
			case "wss", "https" -> "https";
			default -> throw new UsageException("not an HTTP or WebSocket URL: " + url);
		};
		return URI.create(scheme + "://" + url.getRawAuthority());
	}

}
