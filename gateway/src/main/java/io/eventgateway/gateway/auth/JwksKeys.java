package io.eventgateway.gateway.auth;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import com.nimbusds.jose.JWSAlgorithm;
import io.netty.channel.ChannelOption;
import io.netty.handler.codec.http.HttpHeaderNames;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.netty.http.client.HttpClient;

/**
 * The signing keys published at a JWKS URL, kept in memory. Fetched without blocking (Reactor
 * Netty), refreshed in the background every refresh interval, and fetched again when a token names
 * a key the set lacks (a key rotation), at most once per refetch gap so that made-up {@code kid}s
 * cannot turn the gateway into a flood on its identity provider. A fetch that fails keeps the keys
 * loaded before.
 *
 * <p>Tokens are checked against the keys in memory only: a handshake never waits on the network.
 */
public final class JwksKeys implements AutoCloseable {

	/** The most an unknown {@code kid} may make the gateway fetch the set. */
	public static final Duration DEFAULT_REFETCH_GAP = Duration.ofMinutes(1);

	private static final Logger logger = LoggerFactory.getLogger(JwksKeys.class);

	private static final int MAX_DOCUMENT_BYTES = 1024 * 1024;

	private static final Duration FETCH_TIMEOUT = Duration.ofSeconds(10);

	private final URI url;

	private final String shownUrl;

	private final Duration refreshInterval;

	private final Duration refetchGap;

	private final Clock clock;

	private final HttpClient http;

	// Parsing, logging and timers stay off the event loops: the first parse loads the JDK's
	// key factories from jars, and a log line may write to a file.
	private final Scheduler worker = Schedulers.boundedElastic();

	private final AtomicBoolean fetching = new AtomicBoolean();

	private final AtomicLong lastFetchStartMillis = new AtomicLong(Long.MIN_VALUE);

	private volatile SigningKeys keys = SigningKeys.NONE;

	private volatile Disposable nextRefresh;

	private volatile boolean closed;

	public JwksKeys(String url, Duration refreshInterval) {
		this(url, refreshInterval, DEFAULT_REFETCH_GAP, Clock.systemUTC());
	}

	/** @param refetchGap the least time between two fetches caused by an unknown {@code kid} */
	public JwksKeys(String url, Duration refreshInterval, Duration refetchGap, Clock clock) {
		this.url = URI.create(url);
		if ((!"https".equals(this.url.getScheme()) && !"http".equals(this.url.getScheme())) || this.url.getHost() == null) {
			throw new IllegalArgumentException("a JWKS URL is an http:// or https:// URL with a host");
		}
		// User info and query may hold credentials: never in a log line.
		this.shownUrl = this.url.getScheme() + "://" + this.url.getHost() + (this.url.getPort() < 0 ? "" : ":" + this.url.getPort())
				+ (this.url.getRawPath() == null ? "" : this.url.getRawPath());
		this.refreshInterval = refreshInterval;
		this.refetchGap = refetchGap;
		this.clock = clock;
		this.http = HttpClient.create()
			.option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 5000)
			.responseTimeout(FETCH_TIMEOUT)
			.headers(headers -> headers.set(HttpHeaderNames.ACCEPT, "application/jwk-set+json, application/json"));
	}

	/**
	 * Loads the first set, waiting for it (so call it off the event loops), then refreshes in the
	 * background. An identity provider that is down is logged and tried again: the gateway starts
	 * without keys rather than not at all.
	 */
	public void start() {
		boolean loaded = Boolean.TRUE.equals(fetch().block());
		scheduleRefresh(loaded ? this.refreshInterval : retryDelay());
	}

	/** The keys in memory now. */
	public SigningKeys current() {
		return this.keys;
	}

	/**
	 * Checks that the key {@code kid} of this set signed {@code signingInput}, throwing
	 * {@link InvalidTokenException} if not. A {@code kid} the set lacks starts a fetch in the
	 * background (unless one started within the refetch gap), and the token is refused with a word
	 * to retry.
	 */
	public void verify(JWSAlgorithm algorithm, String kid, String signingInput, byte[] signature) {
		SigningKeys known = this.keys;
		if (!known.contains(algorithm, kid)) {
			refetchUnlessRecent();
			throw new InvalidTokenException("invalid token: its key (kid) is not among the gateway's "
					+ algorithm.getName() + " keys; they are being reloaded, retry in a minute");
		}
		if (!known.verify(algorithm, kid, signingInput, signature)) {
			throw new InvalidTokenException("invalid token: signature does not match");
		}
	}

	private void refetchUnlessRecent() {
		long now = this.clock.millis();
		long last = this.lastFetchStartMillis.get();
		if (last != Long.MIN_VALUE && now - last < this.refetchGap.toMillis()) {
			return;
		}
		if (this.lastFetchStartMillis.compareAndSet(last, now)) {
			fetch().subscribe();
		}
	}

	/** One fetch: {@code true} when a new set is in memory; never an error. Empty when one runs already. */
	Mono<Boolean> fetch() {
		return Mono.defer(() -> {
			if (this.closed || !this.fetching.compareAndSet(false, true)) {
				return Mono.<Boolean>empty();
			}
			this.lastFetchStartMillis.set(this.clock.millis());
			return download().timeout(FETCH_TIMEOUT)
				.publishOn(this.worker)
				.map(JwksKeys::parse)
				.map(loaded -> {
					replace(loaded);
					return true;
				})
				.onErrorResume(failure -> {
					int kept = this.keys.size();
					logger.warn("JWKS {} could not be read ({}); {}", this.shownUrl, reason(failure), (kept > 0)
							? "keeping the " + kept + " keys loaded before" : "no key loaded yet: RS256 and ES256 tokens are refused");
					return Mono.just(false);
				})
				// Before the answer goes on, so that whoever waits for it may fetch again at once.
				.doOnSuccess(loaded -> this.fetching.set(false))
				.doOnCancel(() -> this.fetching.set(false));
		}).subscribeOn(this.worker);
	}

	private Mono<String> download() {
		return this.http.get().uri(this.url).response((response, body) -> {
			if (response.status().code() != 200) {
				return Mono.error(new JwksFetchException("answered HTTP " + response.status().code()));
			}
			return body.asByteArray().reduceWith(ByteArrayOutputStream::new, (document, bytes) -> {
				if (document.size() + bytes.length > MAX_DOCUMENT_BYTES) {
					throw new JwksFetchException("the document is larger than " + MAX_DOCUMENT_BYTES + " bytes");
				}
				document.writeBytes(bytes);
				return document;
			}).map(document -> document.toString(StandardCharsets.UTF_8));
		}).single();
	}

	private static SigningKeys parse(String document) {
		try {
			return SigningKeys.parse(document);
		}
		catch (ParseException ex) {
			throw new JwksFetchException("not a JWKS document: " + ex.getMessage());
		}
	}

	private void replace(SigningKeys loaded) {
		SigningKeys before = this.keys;
		this.keys = loaded;
		if (loaded.size() == 0) {
			logger.warn("JWKS {} holds no RS256 (RSA, 2048 bits or more) or ES256 (EC P-256) signing key with a kid: "
					+ "every such token is refused", this.shownUrl);
		}
		else if (!loaded.sameKeysAs(before)) {
			logger.info("JWKS {}: {} signing keys loaded", this.shownUrl, loaded.size());
		}
	}

	private static String reason(Throwable failure) {
		if (failure instanceof JwksFetchException) {
			return failure.getMessage();
		}
		if (failure instanceof java.util.concurrent.TimeoutException) {
			return "no answer within " + FETCH_TIMEOUT.toSeconds() + " s";
		}
		// Netty's messages name the address connected to, never the URL's credentials.
		return failure.getClass().getSimpleName() + (failure.getMessage() == null ? "" : ": " + failure.getMessage());
	}

	private Duration retryDelay() {
		return (this.refetchGap.compareTo(this.refreshInterval) < 0) ? this.refetchGap : this.refreshInterval;
	}

	private void scheduleRefresh(Duration delay) {
		if (this.closed) {
			return;
		}
		this.nextRefresh = this.worker.schedule(() -> fetch().defaultIfEmpty(true)
			.subscribe(loaded -> scheduleRefresh(loaded ? this.refreshInterval : retryDelay())), delay.toMillis(),
				TimeUnit.MILLISECONDS);
	}

	@Override
	public void close() {
		this.closed = true;
		Disposable next = this.nextRefresh;
		if (next != null) {
			next.dispose();
		}
	}

	/** Why a fetch brought no key set, in words fit for the log. */
	private static final class JwksFetchException extends RuntimeException {

		JwksFetchException(String message) {
			super(message, null, false, false);
		}

	}

}
