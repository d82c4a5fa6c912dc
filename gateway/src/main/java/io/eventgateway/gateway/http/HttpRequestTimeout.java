package io.eventgateway.gateway.http;

import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.LastHttpContent;
import reactor.netty.NettyPipeline;

/**
 * Closes an HTTP connection that holds the server without making progress: no complete request head
 * within the idle timeout (a slow-loris client trickling its request line, or a keep-alive connection
 * left idle after its answer), or no complete body within the read timeout once the head arrived.
 * The clock stops while a request is being answered, so long answers (streams) are not cut. A
 * connection that becomes a WebSocket leaves this handler behind with the rest of HTTP.
 */
public final class HttpRequestTimeout extends ChannelDuplexHandler {

	/** Its name in the pipeline, behind the HTTP codec. */
	public static final String NAME = "gateway.httpRequestTimeout";

	private final long idleNanos;

	private final long readNanos;

	private ScheduledFuture<?> deadline;

	/** Whether the request being served has been read to its end (true between requests). */
	private boolean requestComplete = true;

	/** Whether the request being served has been answered to its end. */
	private boolean answered = true;

	public HttpRequestTimeout(Duration idleTimeout, Duration readTimeout) {
		this.idleNanos = idleTimeout.toNanos();
		this.readNanos = readTimeout.toNanos();
	}

	/** Puts a new handler behind the HTTP codec of a new channel; channels without one are left alone. */
	public static void install(ChannelPipeline pipeline, Duration idleTimeout, Duration readTimeout) {
		if (pipeline.get(NettyPipeline.HttpCodec) != null) {
			pipeline.addAfter(NettyPipeline.HttpCodec, NAME, new HttpRequestTimeout(idleTimeout, readTimeout));
		}
	}

	@Override
	public void handlerAdded(ChannelHandlerContext context) {
		if (context.channel().isActive()) {
			arm(context, this.idleNanos);
		}
	}

	@Override
	public void channelActive(ChannelHandlerContext context) {
		arm(context, this.idleNanos);
		context.fireChannelActive();
	}

	@Override
	public void channelRead(ChannelHandlerContext context, Object message) {
		if (message instanceof HttpRequest) {
			this.requestComplete = false;
			this.answered = false;
			arm(context, this.readNanos);
		}
		if (message instanceof LastHttpContent) {
			this.requestComplete = true;
			if (this.answered) {
				// Answered before the request was read to its end: it now waits for its next request.
				arm(context, this.idleNanos);
			}
			else {
				// The whole request is in: the time it takes to answer is the application's.
				disarm();
			}
		}
		context.fireChannelRead(message);
	}

	@Override
	public void write(ChannelHandlerContext context, Object message, ChannelPromise promise) {
		if (message instanceof LastHttpContent) {
			context.write(message, promise.unvoid()).addListener((ChannelFutureListener) written -> {
				if (written.isSuccess() && written.channel().isActive()) {
					this.answered = true;
					if (this.requestComplete) {
						// Answered: the connection now waits for its next request.
						arm(context, this.idleNanos);
					}
				}
			});
			return;
		}
		context.write(message, promise);
	}

	@Override
	public void handlerRemoved(ChannelHandlerContext context) {
		disarm();
	}

	@Override
	public void channelInactive(ChannelHandlerContext context) {
		disarm();
		context.fireChannelInactive();
	}

	private void arm(ChannelHandlerContext context, long nanos) {
		disarm();
		this.deadline = context.executor().schedule(() -> {
			if (context.channel().isActive()) {
				context.channel().close();
			}
		}, nanos, TimeUnit.NANOSECONDS);
	}

	private void disarm() {
		if (this.deadline != null) {
			this.deadline.cancel(false);
			this.deadline = null;
		}
	}

}
