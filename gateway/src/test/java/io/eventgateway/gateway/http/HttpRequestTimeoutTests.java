package io.eventgateway.gateway.http;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The deadlines of one HTTP connection, in whichever order its request ends and its answer is written. */
class HttpRequestTimeoutTests {

	private EmbeddedChannel channel;

	@BeforeEach
	void open() {
		this.channel = new EmbeddedChannel();
		this.channel.freezeTime();
		this.channel.pipeline().addLast(new HttpRequestTimeout(Duration.ofSeconds(1), Duration.ofSeconds(2)));
	}

	private void after(long millis) {
		this.channel.advanceTimeBy(millis, TimeUnit.MILLISECONDS);
		this.channel.runScheduledPendingTasks();
	}

	private void request() {
		this.channel.writeInbound(new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/"));
	}

	private void endOfRequest() {
		this.channel.writeInbound(LastHttpContent.EMPTY_LAST_CONTENT);
	}

	private void answer() {
		this.channel.writeOutbound(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK));
	}

	@Test
	void anIdleKeepAliveConnectionIsClosedAfterItsAnswer() {
		request();
		endOfRequest();
		after(5_000);
		assertThat(this.channel.isActive()).as("answering is the application's time").isTrue();
		answer();
		after(900);
		assertThat(this.channel.isActive()).isTrue();
		after(200);
		assertThat(this.channel.isActive()).isFalse();
	}

	@Test
	void anAnswerWrittenBeforeTheRequestWasReadToItsEndStillLeavesTheConnectionToTheIdleTimeout() {
		request();
		answer();
		endOfRequest();
		after(1_100);
		assertThat(this.channel.isActive()).isFalse();
	}

	@Test
	void aBodyThatDoesNotArriveIsClosedAfterTheReadTimeoutEvenWhenAnsweredEarly() {
		request();
		answer();
		after(1_500);
		assertThat(this.channel.isActive()).as("the read deadline, not the idle one").isTrue();
		after(600);
		assertThat(this.channel.isActive()).isFalse();
	}

}
