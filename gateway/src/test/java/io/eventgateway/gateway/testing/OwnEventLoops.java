package io.eventgateway.gateway.testing;

import java.util.concurrent.atomic.AtomicInteger;

import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.http.client.ReactorResourceFactory;
import reactor.netty.resources.LoopResources;

/**
 * Gives a gateway in the test's JVM event loops of its own. By default the web server runs on
 * Reactor Netty's global loops and closing its context disposes them, which would stop every other
 * gateway of the JVM with it. The Lettuce client has resources of each context's own already, and
 * the PostgreSQL driver's global TCP loops are never disposed by a context.
 */
final class OwnEventLoops implements ApplicationContextInitializer<ConfigurableApplicationContext> {

	private static final AtomicInteger instances = new AtomicInteger();

	@Override
	public void initialize(ConfigurableApplicationContext context) {
		String prefix = "gateway-" + instances.incrementAndGet() + "-http";
		// Registered before the auto-configuration, whose own factory then stands back.
		((GenericApplicationContext) context).registerBean("reactorResourceFactory", ReactorResourceFactory.class, () -> {
			ReactorResourceFactory factory = new ReactorResourceFactory();
			factory.setUseGlobalResources(false);
			factory.setLoopResourcesSupplier(() -> LoopResources.create(prefix));
			return factory;
		});
	}

}
