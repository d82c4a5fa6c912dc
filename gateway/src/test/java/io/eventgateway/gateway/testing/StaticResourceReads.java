package io.eventgateway.gateway.testing;

import reactor.blockhound.BlockHound;
import reactor.blockhound.integration.BlockHoundIntegration;

/**
 * Spring WebFlux resolves classpath resources (the Swagger UI's files) with blocking jar reads on
 * the event loop. Documentation pages only, never on the event path: tolerated, and only there.
 */
public final class StaticResourceReads implements BlockHoundIntegration {

	@Override
	public void applyTo(BlockHound.Builder builder) {
		builder.allowBlockingCallsInside("org.springframework.web.reactive.resource.PathResourceResolver", "getResource");
	}

}
