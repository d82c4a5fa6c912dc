package io.eventgateway.gateway.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;

import io.eventgateway.gateway.auth.TokenRules;
import io.eventgateway.gateway.net.AddressRange;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * Every setting of the gateway, under the prefix {@code gateway}. Validated at start-up: a bad value
 * stops the gateway with a message naming the property.
 *
 * @param auth token verification
 * @param ws WebSocket connections
 * @param database where durable events are stored
 * @param redis the broker that syncs instances (cluster mode)
 * @param history retention and replay of durable events
 * @param publish grouping of durable publishes into store batches
 * @param http the HTTP API's limits
 * @param cache cache-aside reads of tasks
 * @param tasks task files turned into task changes
 * @param clientAddress how the client of a request is told, for the per-client limits
 * @param health the health checks behind readiness
 */
@Validated
@ConfigurationProperties("gateway")
public record GatewayProperties(@Valid @DefaultValue Auth auth, @Valid @DefaultValue WebSocket ws,
		@Valid @DefaultValue Database database, @Valid @DefaultValue Redis redis, @Valid @DefaultValue History history,
		@Valid @DefaultValue Publish publish, @Valid @DefaultValue Http http, @Valid @DefaultValue Cache cache,
		@Valid @DefaultValue Tasks tasks, @Valid @DefaultValue ClientAddress clientAddress,
		@Valid @DefaultValue Health health) {

	public GatewayProperties {
		refuseIncoherentDeployment(auth, database, redis);
		if (history.pruneInterval().compareTo(database.statementTimeout()) <= 0) {
			// Removing an empty room's head relies on every append having ended within one interval.
			throw new IllegalStateException("gateway.history.prune-interval must be longer than "
					+ "gateway.database.statement-timeout");
		}
	}

	/**
	 * Settings that each look valid but together would start an instance that fails open or splits
	 * from its cluster: refused with one message that says what to set.
	 */
	private static void refuseIncoherentDeployment(Auth auth, Database database, Redis redis) {
		if (database.url() != null && database.url().isBlank()) {
			throw new IllegalStateException("gateway.database.url (GATEWAY_DATABASE_URL) is set but empty: "
					+ "unset it for the embedded store, or give an r2dbc:postgresql:// URL");
		}
		if (redis.url() != null && redis.url().isBlank()) {
			throw new IllegalStateException("gateway.redis.url (GATEWAY_REDIS_URL) is set but empty: "
					+ "unset it for a single instance, or give a redis:// URL");
		}
		DeploymentMode mode = DeploymentMode.of(database.url(), redis.url());
		if (mode == DeploymentMode.CLUSTER && database.url() == null) {
			throw new IllegalStateException("gateway.redis.url is set but gateway.database.url is not: the instances "
					+ "of a cluster must share one database; set GATEWAY_DATABASE_URL to their PostgreSQL");
		}
		if (mode != DeploymentMode.EMBEDDED && auth.configuredSecret() == null && auth.configuredJwksUrl() == null) {
			throw new IllegalStateException("gateway.auth.jwt-secret (GATEWAY_AUTH_JWT_SECRET) or gateway.auth.jwks-url "
					+ "(GATEWAY_AUTH_JWKS_URL) must be set when a database or Redis is configured: every instance must "
					+ "verify the same tokens (make a secret with: openssl rand -hex 32)");
		}
	}

	/** How this instance runs: decided here alone. */
	public DeploymentMode mode() {
		return DeploymentMode.of(this.database.url(), this.redis.url());
	}

	/**
	 * @param jwtSecret HS256 secret of the tokens, at least 32 characters (environment
	 * {@code GATEWAY_AUTH_JWT_SECRET}). Required with a database or Redis unless {@code jwks-url} is
	 * set; HS256 tokens are then refused. Unset on the embedded default: a random secret is made at
	 * start-up and a development token is written to the log.
	 * @param devTokenTtl lifetime of that development token, at most 1h. Default 1h.
	 * @param issuer the {@code iss} every token must carry. Default unset: any issuer.
	 * @param audience a value every token's {@code aud} must hold. Default unset: any audience.
	 * @param maxTokenLifetime the longest a token may be valid from its {@code iat} (or from when
	 * it is presented, without one); longer-lived tokens are refused. Default unset: no bound.
	 * @param clockSkew how far the issuer's clock may be from this server's, allowed on {@code exp},
	 * {@code nbf} and {@code iat}; a connection is closed this long after its token's {@code exp}.
	 * Default 30s.
	 * @param jwksUrl URL of a JWKS (JSON Web Key Set; {@code https://} but on the same host) whose
	 * keys sign RS256 and ES256 tokens, found by their {@code kid} (environment
	 * {@code GATEWAY_AUTH_JWKS_URL}); beside or instead of {@code jwt-secret}. A token naming a key
	 * the set lacks is refused and the set fetched again, at most once a minute. Default unset:
	 * RS256 and ES256 tokens are refused.
	 * @param jwksRefreshInterval how often the JWKS is fetched again, at least 10s; a fetch that
	 * fails keeps the keys loaded before and is tried again within a minute. Default 5m.
	 */
	public record Auth(@Size(min = 32, message = "must be at least 32 characters (256 bits for HS256)") String jwtSecret,
			@DefaultValue("1h") Duration devTokenTtl, String issuer, String audience, Duration maxTokenLifetime,
			@DefaultValue("30s") Duration clockSkew, String jwksUrl, @DefaultValue("5m") Duration jwksRefreshInterval) {

		/** The secret, or {@code null} when none is set (blank counts as unset). */
		public String configuredSecret() {
			return blankAsUnset(this.jwtSecret);
		}

		/** The JWKS URL, or {@code null} when none is set (blank counts as unset). */
		public String configuredJwksUrl() {
			return blankAsUnset(this.jwksUrl);
		}

		/** What a token must say, beyond its signature. */
		public TokenRules tokenRules() {
			return new TokenRules(blankAsUnset(this.issuer), blankAsUnset(this.audience), this.maxTokenLifetime,
					this.clockSkew);
		}

		private static String blankAsUnset(String value) {
			return (value == null || value.isBlank()) ? null : value;
		}

		@AssertTrue(message = "clock-skew must be zero or positive, and at most 5m")
		public boolean isClockSkewSmall() {
			return !this.clockSkew.isNegative() && this.clockSkew.compareTo(Duration.ofMinutes(5)) <= 0;
		}

		@AssertTrue(message = "jwks-url must be an http:// or https:// URL with a host")
		public boolean isJwksUrlReadable() {
			if (configuredJwksUrl() == null) {
				return true;
			}
			try {
				URI url = new URI(this.jwksUrl.trim());
				return ("https".equals(url.getScheme()) || "http".equals(url.getScheme())) && url.getHost() != null;
			}
			catch (URISyntaxException ex) {
				return false;
			}
		}

		/** Each fetch is a request to the identity provider, from every instance. */
		@AssertTrue(message = "jwks-refresh-interval must be at least 10s")
		public boolean isJwksRefreshIntervalReasonable() {
			return this.jwksRefreshInterval.compareTo(Duration.ofSeconds(10)) >= 0;
		}

		@AssertTrue(message = "max-token-lifetime must be positive")
		public boolean isMaxTokenLifetimePositive() {
			return this.maxTokenLifetime == null || (!this.maxTokenLifetime.isNegative() && !this.maxTokenLifetime.isZero());
		}

		/** A token valid for every room, written to a log, must not outlive a working session for long. */
		@AssertTrue(message = "dev-token-ttl must be positive and at most 1h")
		public boolean isDevTokenShortLived() {
			return !this.devTokenTtl.isNegative() && !this.devTokenTtl.isZero()
					&& this.devTokenTtl.compareTo(Duration.ofHours(1)) <= 0;
		}

	}

	/**
	 * @param path where clients connect. Default /ws.
	 * @param maxFrameSize largest inbound frame; bigger ones close the connection with 1009. Default 64KB.
	 * @param maxDataSize largest encoded {@code data} of one publish in UTF-8 bytes, answered
	 * {@code too_large} beyond (HTTP: 413). Default unset: as much as the frame holds.
	 * @param maxConnections connections held at once by this instance; more are refused with 503.
	 * Default 19000.
	 * @param maxConnectionsPerAddress connections from one client address; more are refused with
	 * 429. Default 5000.
	 * @param maxConnectionsPerUser connections of one user (a token's {@code sub}); more are refused
	 * with 429. Default 100.
	 * @param retryAfter what a refused handshake's {@code Retry-After} says. Default 5s.
	 * @param outboundMaxMessages messages one connection may have waiting to be written. Default 4096.
	 * @param outboundMaxSize bytes one connection may have waiting to be written. Default 1MB.
	 * @param outboundFrameSize queued messages are gathered into frames up to this size. Default 16KB.
	 * @param writeDelay longest a message waits so that it shares one write with the messages that
	 * follow it (one socket write costs about the same for one event as for twenty); a connection
	 * that has not written for this long writes at once; 0 always writes at once. Default 20ms.
	 * @param volatileShare share of the outbound queue that volatile events may fill before they are
	 * dropped. Default 0.5.
	 * @param maxRoomsPerConnection rooms one connection may have joined. Default 100.
	 * @param requestRate requests per second allowed to one connection: publishes, joins, leaves,
	 * pings and refused requests alike; beyond it requests are answered {@code rate_limited}, which
	 * counts as bad input. Default 500.
	 * @param requestBurst requests one connection may send at once above its rate. Default 1000.
	 * @param maxRequestsPerFrame requests one frame may carry (one per line); a frame with more is
	 * answered {@code too_large} and none of them is handled. Default 100.
	 * @param maxPendingPublishes durable publishes of one connection waiting for their ack. Default 1024.
	 * @param badInputLimit bad requests tolerated per minute before the connection is closed with
	 * 1008: malformed or too large requests, requests for rooms the token does not allow, and
	 * requests beyond the connection's rate or room limit. Default 20.
	 * @param pingInterval how often the server pings. Default 25s.
	 * @param expiringNotice how long before its token's {@code exp} a connection is sent
	 * {@code expiring} (each up to a fifth of it later, spread), so it can {@code refresh} in-band;
	 * 0 sends none. Default 60s.
	 * @param idleTimeout a connection with no traffic and no pong for this long is closed. Default 60s.
	 * @param drainWindow at shutdown, connections are closed with 1012 spread evenly over this long
	 * (readiness is down and new handshakes are refused first), so clients do not all reconnect at
	 * once; with the close timeout it must fit {@code spring.lifecycle.timeout-per-shutdown-phase}
	 * (20s). Default 10s.
	 * @param closeTimeout how long a closing connection may take to take its close frame before the
	 * socket is dropped. Default 5s.
	 * @param writeBufferHighWaterMark bytes written to a connection's socket but not yet sent, past
	 * which the connection counts as unwritable and its messages wait in its outbound queue (whose
	 * bounds then decide). Default 512KB.
	 * @param writeBufferLowWaterMark below this, an unwritable connection is writable again. Default
	 * 256KB.
	 * @param socketSendBuffer the kernel's send buffer of each connection ({@code SO_SNDBUF}): it caps
	 * the kernel memory a client that stops reading holds before its outbound queue's bounds are
	 * reached, and the rate one connection can take at this buffer per round trip. Default unset: the
	 * kernel sizes it (autotuning grows it to {@code net.ipv4.tcp_wmem}'s maximum, 4 MB by default).
	 * @param acceptBacklog connections the kernel may hold before the server accepts them, for a
	 * reconnect storm (capped by {@code net.core.somaxconn}). Default 4096.
	 * @param allowedOrigins {@code Origin}s (such as {@code https://app.example.com}, or {@code *}
	 * for any) whose browser pages may connect besides the gateway's own; other origins are refused
	 * with 403. Handshakes without an {@code Origin} (not from a browser) are not affected. Default
	 * empty: pages of the same origin only.
	 */
	public record WebSocket(@DefaultValue("/ws") @Pattern(regexp = "/.*") String path,
			@DefaultValue("64KB") DataSize maxFrameSize, DataSize maxDataSize,
			@DefaultValue("19000") @Positive int maxConnections,
			@DefaultValue("5000") @Positive int maxConnectionsPerAddress,
			@DefaultValue("100") @Positive int maxConnectionsPerUser, @DefaultValue("5s") Duration retryAfter,
			@DefaultValue("4096") @Positive int outboundMaxMessages, @DefaultValue("1MB") DataSize outboundMaxSize,
			@DefaultValue("16KB") DataSize outboundFrameSize, @DefaultValue("20ms") Duration writeDelay,
			@DefaultValue("0.5") @DecimalMin(value = "0", inclusive = false) @DecimalMax("1") double volatileShare,
			@DefaultValue("100") @Positive int maxRoomsPerConnection, @DefaultValue("500") @Positive int requestRate,
			@DefaultValue("1000") @Positive int requestBurst, @DefaultValue("100") @Positive int maxRequestsPerFrame, @DefaultValue("1024") @Positive int maxPendingPublishes,
			@DefaultValue("20") @Positive int badInputLimit, @DefaultValue("25s") Duration pingInterval,
			@DefaultValue("60s") Duration expiringNotice,
			@DefaultValue("60s") Duration idleTimeout, @DefaultValue("10s") Duration drainWindow,
			@DefaultValue("5s") Duration closeTimeout,
			@DefaultValue("512KB") DataSize writeBufferHighWaterMark,
			@DefaultValue("256KB") DataSize writeBufferLowWaterMark, DataSize socketSendBuffer,
			@DefaultValue("4096") @Positive int acceptBacklog,
			@DefaultValue List<String> allowedOrigins) {

		/** The largest {@code data} of one publish, in UTF-8 bytes. */
		public int maxDataBytes() {
			return (int) ((this.maxDataSize != null) ? this.maxDataSize : this.maxFrameSize).toBytes();
		}

		/** The acks of every pending publish must fit the outbound queue, or a burst of them closes the publisher. */
		@AssertTrue(message = "max-pending-publishes must not exceed outbound-max-messages")
		public boolean isPendingPublishesWithinOutboundQueue() {
			return this.maxPendingPublishes <= this.outboundMaxMessages;
		}

		@AssertTrue(message = "socket-send-buffer must be positive when set")
		public boolean isSocketSendBufferPositive() {
			return this.socketSendBuffer == null || this.socketSendBuffer.toBytes() > 0;
		}

		@AssertTrue(message = "write-buffer-low-water-mark must be positive and below write-buffer-high-water-mark")
		public boolean isWriteBufferWaterMarkOrdered() {
			return this.writeBufferLowWaterMark.toBytes() > 0
					&& this.writeBufferLowWaterMark.toBytes() < this.writeBufferHighWaterMark.toBytes();
		}

	}

	/**
	 * @param url R2DBC URL of the store (environment {@code GATEWAY_DATABASE_URL}), for example
	 * {@code r2dbc:postgresql://localhost:5432/gateway}. Unset: an embedded in-memory H2 database,
	 * new at every start.
	 * @param poolMaxSize most pooled connections. Default 10.
	 * @param acquireTimeout longest wait for a pooled connection. Default 5s.
	 * @param statementTimeout longest a store call may take before it is answered
	 * {@code unavailable}. Default 5s.
	 * @param maxConcurrentCalls store calls in flight at once (a bulkhead in front of the pool); more
	 * are answered {@code unavailable}. Sized for a reconnect storm of joins. Default 4096.
	 */
	public record Database(String url, @DefaultValue("10") @Positive int poolMaxSize,
			@DefaultValue("5s") Duration acquireTimeout, @DefaultValue("5s") Duration statementTimeout,
			@DefaultValue("4096") @Positive int maxConcurrentCalls) {
	}

	/**
	 * @param url Redis URL (environment {@code GATEWAY_REDIS_URL}), {@code redis://host:6379/0},
	 * {@code rediss://…}, a Sentinel URL {@code redis-sentinel://host:26379/0#mymaster}, or a Redis
	 * Cluster (7 or newer) {@code redis-cluster://[password@]host1:6379,host2:6379} (some of its
	 * nodes; the others are found), where rooms use sharded pub/sub: a room's events go only to
	 * the master that owns its channel's slot, not to every node. Unset: the in-process broker of
	 * a single instance.
	 * @param keyPrefix prefix of every key and channel. Default gw.
	 * @param commandTimeout longest wait for a Redis command. Default 2s.
	 * @param catchUpInterval how often each room is checked against the store for events Redis did
	 * not bring. Default 10s.
	 * @param reconnectMaxDelay longest pause between reconnection attempts (jittered backoff from
	 * 100 ms). Default 5s.
	 * @param presenceLease an instance's members vanish from presence this long after it stopped
	 * renewing its lease (a crash). Default 6s.
	 * @param presenceWriteDelay how often an instance writes the members of rooms that changed: the
	 * longest a join or leave takes to show in presence on other instances. Default 100ms.
	 * @param probeInterval how often an instance publishes a probe to itself, to find a subscriber
	 * connection that looks open but delivers nothing. Default 2s.
	 * @param probeTimeout a probe not back within this long turns the broker's health down (and
	 * readiness with it), and the subscriber connection is renewed and every room caught up from
	 * the store. Default 3s.
	 * @param topologyRefreshInterval on a Redis Cluster, how often the slot map is read again
	 * (besides whenever a {@code MOVED}, {@code ASK} or reconnection hints at a change), so that a
	 * failed-over or restarted master is followed. Default 30s.
	 */
	public record Redis(String url, @DefaultValue("gw") @Pattern(regexp = "[A-Za-z0-9._-]+") String keyPrefix,
			@DefaultValue("2s") Duration commandTimeout, @DefaultValue("10s") Duration catchUpInterval,
			@DefaultValue("5s") Duration reconnectMaxDelay, @DefaultValue("6s") Duration presenceLease,
			@DefaultValue("100ms") Duration presenceWriteDelay, @DefaultValue("2s") Duration probeInterval,
			@DefaultValue("3s") Duration probeTimeout, @DefaultValue("30s") Duration topologyRefreshInterval) {

		@AssertTrue(message = "topology-refresh-interval must be positive")
		public boolean isTopologyRefreshPositive() {
			return !this.topologyRefreshInterval.isNegative() && !this.topologyRefreshInterval.isZero();
		}

		@AssertTrue(message = "probe-interval and probe-timeout must be positive")
		public boolean isProbePositive() {
			return !this.probeInterval.isNegative() && !this.probeInterval.isZero() && !this.probeTimeout.isNegative()
					&& !this.probeTimeout.isZero();
		}

	}

	/**
	 * @param retainEvents durable events kept per room; a {@code join} asking for more than this is
	 * answered {@code recovered:false}. Default 10000.
	 * @param retainFor how long durable events are kept. Default 24h.
	 * @param pruneInterval how often old events are removed. Default 1m.
	 * @param replayPageSize events read from the store at a time during a recovery. Default 256.
	 * @param maxPageSize largest page of {@code GET /api/rooms/{room}/events}: a page ends before the
	 * event that would make it larger (it always holds at least one), and {@code next} says where
	 * to go on. Default 1MB.
	 * @param partitionInterval on PostgreSQL, the span of event time one partition of the events
	 * holds; a partition is dropped whole once it lies before the retention, so events outlive
	 * {@code retain-for} by up to this much, and a history read visits every partition. Default
	 * unset: a quarter of {@code retain-for}, at least a minute.
	 */
	public record History(@DefaultValue("10000") @Positive long retainEvents, @DefaultValue("24h") Duration retainFor,
			@DefaultValue("1m") Duration pruneInterval, @DefaultValue("256") @Positive int replayPageSize,
			@DefaultValue("1MB") DataSize maxPageSize, Duration partitionInterval) {

		public Duration partitionIntervalOrDefault() {
			if (this.partitionInterval != null) {
				return this.partitionInterval;
			}
			Duration quarter = this.retainFor.dividedBy(4);
			return quarter.compareTo(Duration.ofMinutes(1)) < 0 ? Duration.ofMinutes(1) : quarter;
		}

		@AssertTrue(message = "partition-interval must be positive when set")
		public boolean isPartitionIntervalPositive() {
			return this.partitionInterval == null || (!this.partitionInterval.isNegative() && !this.partitionInterval.isZero());
		}

	}

	/**
	 * @param lanes independent store lanes, each with one batch in flight and one connection kept
	 * for it (at most half the pool); a room always uses the same one. Default 4.
	 * @param maxBatch most events written in one store batch. Default 256.
	 * @param maxPendingPerLane publishes waiting in one lane before new ones are answered
	 * {@code unavailable}. Default 32768.
	 */
	public record Publish(@DefaultValue("4") @Min(1) int lanes, @DefaultValue("256") @Min(1) int maxBatch,
			@DefaultValue("32768") @Min(1) int maxPendingPerLane) {
	}

	/**
	 * @param maxBodySize largest request body; bigger ones are answered 413. Default 64KB.
	 * @param rateLimit requests per second allowed to one user (or, without a valid token, one
	 * client address); shared by all instances in cluster mode. Default 200.
	 * @param rateLimitBurst requests one user may send at once above the rate. Default 400.
	 * @param rateLimitKeys most users and addresses tracked at once by the local limiter. Default 100000.
	 * @param idleTimeout longest an HTTP connection may wait for the head of its next request (or
	 * hold half of one) before it is closed: a client trickling a request line holds no connection
	 * for long. WebSocket connections have their own heartbeat instead. Default 20s.
	 * @param requestReadTimeout longest the body of a request may take to arrive once its head has.
	 * Default 20s.
	 * @param corsAllowedOrigins origins ({@code https://app.example.com}, or {@code *}) whose pages
	 * may call {@code /api} from the browser (CORS). Default empty: pages of the same origin only.
	 * @param demo serve the demo page at {@code /demo/}. Default: on the embedded default only.
	 */
	public record Http(@DefaultValue("64KB") DataSize maxBodySize, @DefaultValue("200") @Positive double rateLimit,
			@DefaultValue("400") @Positive int rateLimitBurst, @DefaultValue("100000") @Positive long rateLimitKeys,
			@DefaultValue("20s") Duration idleTimeout, @DefaultValue("20s") Duration requestReadTimeout,
			@DefaultValue List<String> corsAllowedOrigins, Boolean demo) {

		public boolean servesDemo(DeploymentMode mode) {
			return (this.demo != null) ? this.demo : mode == DeploymentMode.EMBEDDED;
		}

	}

	/**
	 * @param localMaxEntries tasks held by each instance's local cache. Default 100000.
	 * @param localTtl longest a task stays in the local cache. Default 5m.
	 * @param sharedTtl longest a task stays in the shared (Redis) cache. Default 30m.
	 * @param invalidationTimeout longest a write waits for every instance to confirm it dropped the
	 * old version. Default 2s.
	 */
	public record Cache(@DefaultValue("100000") @Positive long localMaxEntries, @DefaultValue("5m") Duration localTtl,
			@DefaultValue("30m") Duration sharedTtl, @DefaultValue("2s") Duration invalidationTimeout) {
	}

	/**
	 * @param watchDir folder of team folders holding {@code tasks.json}; unset: no files are watched.
	 * @param stabilityThreshold a file is read once it has not changed for this long. Default 100ms.
	 * @param polling look for changes by polling instead of file system events (for file systems
	 * without them, such as some network mounts). Default false.
	 * @param pollInterval how often polling looks. Default 1s.
	 * @param maxPendingFiles changed files waiting to be applied; past that the oldest waiting change
	 * is dropped in favour of a full rescan. Default 1000.
	 * @param writeBack write tasks changed over the HTTP API back into their team's file. Default false.
	 * @param maxFileSize largest task file read; a bigger one is refused whole. Default 1MB.
	 * @param maxTasks most tasks one file may hold; a file with more is refused whole. Default 5000.
	 * @param readTimeout longest the read of one file may take (a hung network mount). Default 5s.
	 */
	public record Tasks(String watchDir, @DefaultValue("100ms") Duration stabilityThreshold,
			@DefaultValue("false") boolean polling, @DefaultValue("1s") Duration pollInterval,
			@DefaultValue("1000") @Positive int maxPendingFiles, @DefaultValue("false") boolean writeBack,
			@DefaultValue("1MB") DataSize maxFileSize, @DefaultValue("5000") @Positive int maxTasks,
			@DefaultValue("5s") Duration readTimeout) {

		public boolean isConfigured() {
			return this.watchDir != null && !this.watchDir.isBlank();
		}

	}

	/**
	 * @param trustedProxies proxies (addresses or CIDR ranges, such as {@code 10.0.0.0/8}) whose
	 * {@code X-Forwarded-For} is believed: the right-most hop that is not one of them is the client.
	 * Default none: the header is ignored and the connection's peer is the client.
	 * @param proxyProtocol every connection begins with a PROXY protocol header (v1 or v2, as HAProxy
	 * and cloud load balancers send with {@code send-proxy}) whose source is the client; connections
	 * without one are refused. Default false.
	 */
	public record ClientAddress(@DefaultValue List<String> trustedProxies, @DefaultValue("false") boolean proxyProtocol) {

		public ClientAddress {
			trustedProxies = List.copyOf(trustedProxies);
			// Read now, so that a range that cannot be read stops the start with its name.
			trustedProxyRanges(trustedProxies);
		}

		public List<AddressRange> trustedProxyRanges() {
			return trustedProxyRanges(this.trustedProxies);
		}

		private static List<AddressRange> trustedProxyRanges(List<String> proxies) {
			return proxies.stream().map(AddressRange::parse).toList();
		}

	}

	/** The secret, or {@code null} when none is set: a development secret is then made on the embedded default. */
	public String configuredSecret() {
		return this.auth.configuredSecret();
	}

	/**
	 * @param cacheTimeToLive how long the answer of a health check of the store and of Redis is
	 * reused: probes of every load balancer reach the dependency once per this long; readiness
	 * follows a dependency that went down or came back this much later. Default 2s.
	 */
	public record Health(@DefaultValue("2s") Duration cacheTimeToLive) {

		@AssertTrue(message = "cache-time-to-live must be zero or positive, and at most 1m")
		public boolean isCacheTimeToLiveShort() {
			return !this.cacheTimeToLive.isNegative() && this.cacheTimeToLive.compareTo(Duration.ofMinutes(1)) <= 0;
		}

	}

}
