package io.eventgateway.gateway.websocket;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.eventgateway.core.connection.CloseReason;
import io.eventgateway.core.connection.Connection;
import io.eventgateway.gateway.metrics.GatewayMeters;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.util.ReferenceCountUtil;
import org.reactivestreams.Subscription;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Mono;

/**
 * The channel end of one WebSocket connection, on its event loop: text frames (fragments joined up
 * to the frame limit) are decoded into requests and handled one at a time, in order. A request that
 * completes later (a join) holds the ones behind it, and the channel stops reading meanwhile, so a
 * client cannot pile up work. Pings are answered, a client's close is returned, writability resumes
 * the outbound queue, and the end of the channel ends the connection's memberships.
 */
final class WebSocketConnectionHandler extends ChannelInboundHandlerAdapter {

	static final String NAME = "gateway.websocketConnection";

	private static final Logger logger = LoggerFactory.getLogger(WebSocketConnectionHandler.class);

	private final WebSocketConnections connections;

	private final Channel channel;

	private final ConnectionLimiter.Slot slot;

	private Connection connection;

	/** The fragments of a message still arriving; {@code null} between messages. */
	private CompositeByteBuf fragments;

	/** A fragmented binary message is being skipped. */
	private boolean skippingBinary;

	/**
	 * Requests behind one that has not completed yet; {@code null} until first needed. Bounded
	 * without a limit of its own: reads stop while a request is busy, so it holds at most the
	 * requests of the one read that was already under way.
	 */
	private ArrayDeque<ClientRequest> waiting;

	private boolean busy;

	private boolean closeSent;

	/** Whether how the connection ended was counted (once, by whichever end came first). */
	private boolean endCounted;

	/** When the socket became unwritable; 0 while it is writable. */
	private long unwritableSince;

	WebSocketConnectionHandler(WebSocketConnections connections, Channel channel, ConnectionLimiter.Slot slot) {
		this.connections = connections;
		this.channel = channel;
		this.slot = slot;
	}

	void start(Connection connection, ChannelFrameSink sink) {
		this.connection = connection;
		logger.debug("conn={} opened for user {}", connection.id(), connection.user());
		connection.outbound().attach(sink);
		// Reactor Netty reads on demand; this connection reads whenever it is not busy.
		this.channel.config().setAutoRead(true);
	}

	@Override
	public void channelRead(ChannelHandlerContext context, Object message) {
		try {
			// Anything else is the end of the upgrade request, read with it.
			if (message instanceof WebSocketFrame frame) {
				this.connection.touch(this.connections.now());
				read(context, frame);
			}
		}
		finally {
			ReferenceCountUtil.release(message);
		}
	}

	private void read(ChannelHandlerContext context, WebSocketFrame frame) {
		if (frame instanceof TextWebSocketFrame) {
			if (frame.isFinalFragment()) {
				text(frame.content());
			}
			else {
				startFragments(context, frame.content());
			}
		}
		else if (frame instanceof ContinuationWebSocketFrame) {
			continueFragments(frame);
		}
		else if (frame instanceof BinaryWebSocketFrame) {
			this.skippingBinary = !frame.isFinalFragment();
			if (frame.isFinalFragment()) {
				rejectBinary();
			}
		}
		else if (frame instanceof PingWebSocketFrame) {
			context.writeAndFlush(new PongWebSocketFrame(frame.content().retain()));
		}
		else if (frame instanceof CloseWebSocketFrame close) {
			closedByClient(context, close);
		}
		// A pong only shows the client is there, which touch() recorded.
	}

	private void startFragments(ChannelHandlerContext context, ByteBuf first) {
		releaseFragments();
		this.fragments = context.alloc().compositeBuffer();
		this.fragments.addComponent(true, first.retain());
	}

	private void continueFragments(WebSocketFrame frame) {
		if (this.skippingBinary) {
			this.skippingBinary = !frame.isFinalFragment();
			if (frame.isFinalFragment()) {
				rejectBinary();
			}
			return;
		}
		if (this.fragments == null) {
			return;
		}
		if (this.fragments.readableBytes() + frame.content().readableBytes() > this.connections.settings().maxFramePayload()) {
			releaseFragments();
			this.connection.close(CloseReason.TOO_LARGE);
			return;
		}
		this.fragments.addComponent(true, frame.content().retain());
		if (frame.isFinalFragment()) {
			CompositeByteBuf whole = this.fragments;
			this.fragments = null;
			try {
				text(whole);
			}
			finally {
				whole.release();
			}
		}
	}

	private void text(ByteBuf content) {
		for (ClientRequest request : this.connections.decoder().decode(content.toString(StandardCharsets.UTF_8))) {
			submit(request);
		}
	}

	private void rejectBinary() {
		submit(new ClientRequest.Invalid(null, ErrorCode.BAD_REQUEST, "binary frames are not supported; send text frames of JSON"));
	}

	private void submit(ClientRequest request) {
		if (this.busy) {
			if (this.waiting == null) {
				this.waiting = new ArrayDeque<>();
			}
			this.waiting.add(request);
			return;
		}
		run(request);
	}

	private void run(ClientRequest request) {
		Mono<Void> done = this.connections.requests().handle(this.connection, request);
		if (done == RequestHandler.DONE) {
			return;
		}
		Completion completion = new Completion();
		done.subscribe(completion);
		if (completion.awaitedLater()) {
			this.busy = true;
			this.channel.config().setAutoRead(false);
		}
	}

	// On the event loop: go on with the requests that waited.
	private void continueRequests() {
		this.busy = false;
		while (!this.busy && this.waiting != null && !this.waiting.isEmpty()) {
			run(this.waiting.poll());
		}
		if (!this.busy) {
			this.channel.config().setAutoRead(true);
		}
	}

	private void closedByClient(ChannelHandlerContext context, CloseWebSocketFrame close) {
		this.connection.close(CloseReason.CLIENT_GONE);
		if (this.closeSent) {
			context.close();
			return;
		}
		this.closeSent = true;
		int status = close.statusCode();
		countEnd((status < 0) ? CloseCodes.NO_STATUS : status, CloseCodes.Initiator.CLIENT);
		CloseWebSocketFrame answer = (status < 0) ? new CloseWebSocketFrame() : new CloseWebSocketFrame(status, null);
		context.writeAndFlush(answer).addListener(ChannelFutureListener.CLOSE);
	}

	/** Carries out a close the outbound queue decided on, on the writer: close frame, then the socket. */
	void closeChannel(CloseReason reason) {
		if (reason == CloseReason.CLIENT_GONE || this.closeSent) {
			return;
		}
		this.closeSent = true;
		this.connections.meters()
			.counter(GatewayMeters.CONNECTIONS_CLOSED, "reason", reason.name().toLowerCase())
			.increment();
		if (reason == CloseReason.SLOW_CONSUMER) {
			this.connections.drops().slowConsumerClose().increment(this.connection.outbound().unsent());
		}
		countEnd(reason.code(), CloseCodes.Initiator.SERVER);
		if (!this.channel.isActive()) {
			return;
		}
		this.channel.writeAndFlush(new CloseWebSocketFrame(reason.code(), reason.text()));
		// A client that does not read cannot take its close frame either: drop the socket after a while.
		this.channel.eventLoop().schedule(() -> {
			if (this.channel.isOpen()) {
				this.channel.close();
			}
		}, this.connections.settings().closeTimeout().toNanos(), TimeUnit.NANOSECONDS);
	}

	@Override
	public void channelWritabilityChanged(ChannelHandlerContext context) {
		boolean writable = this.channel.isWritable();
		this.unwritableSince = this.connections.unwritableTime().changed(this.unwritableSince, writable);
		if (writable) {
			this.connection.outbound().resume();
		}
		context.fireChannelWritabilityChanged();
	}

	/** The channel is closed: ends the connection's memberships and gives its slot back. */
	void closed() {
		releaseFragments();
		this.unwritableSince = this.connections.unwritableTime().changed(this.unwritableSince, true);
		countEnd(CloseCodes.ABNORMAL, CloseCodes.Initiator.NONE);
		CloseReason reason = this.connection.outbound().closeReason();
		logger.debug("conn={} closed: {}", this.connection.id(), (reason != null) ? reason.text() : "by the client");
		this.connection.close(CloseReason.CLIENT_GONE);
		this.connections.closed(this.connection);
		this.slot.release();
	}

	@Override
	public void exceptionCaught(ChannelHandlerContext context, Throwable cause) {
		// A protocol violation was answered by the codec with its close code already.
		logger.debug("conn={} failed", this.connection.id(), cause);
		context.close();
	}

	private void countEnd(int code, CloseCodes.Initiator initiator) {
		if (!this.endCounted) {
			this.endCounted = true;
			this.connections.closeCodes().ended(code, initiator);
		}
	}

	private void releaseFragments() {
		if (this.fragments != null) {
			this.fragments.release();
			this.fragments = null;
		}
	}

	/**
	 * Whether a request's Mono completed before {@link #awaitedLater()} was asked, or later (then on
	 * any thread, which hands the rest back to the event loop).
	 */
	private final class Completion extends AtomicInteger implements CoreSubscriber<Void> {

		private static final int RUNNING = 0;

		private static final int DONE_AT_ONCE = 1;

		private static final int AWAITED = 2;

		@Override
		public void onSubscribe(Subscription subscription) {
			subscription.request(Long.MAX_VALUE);
		}

		@Override
		public void onNext(Void ignored) {
		}

		@Override
		public void onError(Throwable error) {
			logger.warn("conn={} request failed", WebSocketConnectionHandler.this.connection.id(), error);
			done();
		}

		@Override
		public void onComplete() {
			done();
		}

		private void done() {
			if (!compareAndSet(RUNNING, DONE_AT_ONCE)) {
				WebSocketConnectionHandler.this.channel.eventLoop().execute(WebSocketConnectionHandler.this::continueRequests);
			}
		}

		boolean awaitedLater() {
			return compareAndSet(RUNNING, AWAITED);
		}

	}

}
