package io.eventgateway.gateway.http;

import java.util.List;

/** Task ETags: {@code "v<version>"}, strong, since a version names one exact representation. */
final class EntityTags {

	private EntityTags() {
	}

	static String of(long version) {
		return "\"v" + version + "\"";
	}

	/** The version an ETag names, or 0 when it names none. Weak comparison: a W/ prefix is ignored. */
	static long version(String etag) {
		String tag = etag.trim();
		if (tag.startsWith("W/")) {
			tag = tag.substring(2);
		}
		if (tag.length() < 4 || !tag.startsWith("\"v") || !tag.endsWith("\"")) {
			return 0;
		}
		try {
			return Long.parseLong(tag.substring(2, tag.length() - 1));
		}
		catch (NumberFormatException ex) {
			return 0;
		}
	}

	/** {@code If-None-Match}: {@code *} or any listed tag equal to the current one. */
	static boolean matchesAny(List<String> headers, String current) {
		long currentVersion = version(current);
		for (String header : headers) {
			for (String tag : header.split(",")) {
				if (tag.trim().equals("*") || version(tag) == currentVersion) {
					return true;
				}
			}
		}
		return false;
	}

}
