package io.eventgateway.loadtest.scenario;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntFunction;

import io.eventgateway.loadtest.client.BenchConnection;
import io.eventgateway.loadtest.client.Failures;
import io.eventgateway.loadtest.client.Tokens;
import io.eventgateway.loadtest.measure.Monitor;
import io.eventgateway.loadtest.measure.Tally;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

/**
 * Opens generator connections: each from the next source address, to the next gateway URL in
 * turn. Connections share a user by the few dozen, as real users' tabs and devices do, which keeps
 * every user under the gateway's connections-per-user limit (100 by default).
 */
final class Connector {

	/** A handshake slower than this counts as failed: the run must end by itself. */
	static final Duration HANDSHAKE_TIMEOUT = Duration.ofSeconds(15);

	private final CommonSettings settings;

	private final HttpClient http;

	static final int CONNECTIONS_PER_USER = 50;

	private final Tokens tokens;

	private final List<String> rooms;

	private final Instant expiresAt = Instant.now().plus(Duration.ofHours(2));

	private final Map<String, String> userTokens = new ConcurrentHashMap<>();

	Connector(CommonSettings settings, List<String> rooms) {
		this.settings = settings;
		this.http = settings.sourceAddresses().bind(HttpClient.create(ConnectionProvider.newConnection()));
		this.tokens = new Tokens(settings.secret());
		this.rooms = rooms;
	}

	/** The token of the user whose connection {@code index} is, among subscribers or publishers. */
	private String tokenOf(String kind, int index) {
		return this.userTokens.computeIfAbsent("bench-" + kind + "-" + (index / CONNECTIONS_PER_USER),
				user -> this.tokens.issue(user, this.rooms, this.expiresAt));
	}

	Mono<BenchConnection> subscriber(int index, BenchConnection.Listener listener) {
		return subscriber(index, 0, listener);
	}

	/** The subscriber's {@code turn}-th connection: with several gateways, each turn goes to the next one. */
	Mono<BenchConnection> subscriber(int index, int turn, BenchConnection.Listener listener) {
		List<URI> urls = this.settings.subscriberUrls();
		return BenchConnection.open(this.http, urls.get((index + turn) % urls.size()), tokenOf("sub", index), index, listener)
			.timeout(HANDSHAKE_TIMEOUT);
	}

	Mono<BenchConnection> publisher(int index, BenchConnection.Listener listener) {
		List<URI> urls = this.settings.publisherUrls();
		return BenchConnection.open(this.http, urls.get(index % urls.size()), tokenOf("pub", index), index, listener)
			.timeout(HANDSHAKE_TIMEOUT);
	}

	/**
	 * Opens {@code count} connections, at most the configured number of handshakes at a time; a
	 * failed one is counted (as an error, and by cause) and left out.
	 */
	List<BenchConnection> openAll(int count, IntFunction<Mono<BenchConnection>> open, Monitor monitor, Tally failures) {
		return Flux.range(0, count)
			.flatMap(i -> open.apply(i).onErrorResume(error -> {
				failures.add(Failures.describe(error));
				monitor.error();
				return Mono.empty();
			}), this.settings.connectConcurrency())
			.collectList()
			.block(HANDSHAKE_TIMEOUT.multipliedBy(2).plusSeconds(count / 10));
	}

}
