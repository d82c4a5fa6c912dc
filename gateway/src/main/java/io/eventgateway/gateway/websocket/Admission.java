package io.eventgateway.gateway.websocket;

import io.eventgateway.gateway.auth.ClientIdentity;
import io.netty.channel.Channel;

/**
 * What the handshake established for a connection: who it is, the connection slot it holds, and its
 * transport channel, into which its frames are written on its event loop.
 */
record Admission(ClientIdentity identity, ConnectionLimiter.Slot slot, Channel channel) {

	static final String ATTRIBUTE = Admission.class.getName();

}
