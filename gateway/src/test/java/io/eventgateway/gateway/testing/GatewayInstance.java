package io.eventgateway.gateway.testing;

import java.util.ArrayList;
import java.util.List;

import io.eventgateway.gateway.GatewayApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/** One running gateway in the test's JVM, on a free port and event loops of its own. */
public final class GatewayInstance implements AutoCloseable {

	private final ConfigurableApplicationContext context;

	private GatewayInstance(ConfigurableApplicationContext context) {
		this.context = context;
	}

	/** Starts a gateway with the test secret and these {@code name=value} properties. */
	public static GatewayInstance start(String... properties) {
		List<String> args = new ArrayList<>();
		args.add("--server.port=0");
		args.add("--" + TestTokens.SECRET_PROPERTY);
		for (String property : properties) {
			args.add("--" + property);
		}
		return new GatewayInstance(new SpringApplicationBuilder(GatewayApplication.class).initializers(new OwnEventLoops())
			.run(args.toArray(String[]::new)));
	}

	public int port() {
		return ((WebServerApplicationContext) this.context).getWebServer().getPort();
	}

	/** The port of the management side: its own with {@code management.server.port}, else the public one. */
	public int managementPort() {
		return this.context.getEnvironment().getProperty("local.management.port", Integer.class, port());
	}

	public <T> T bean(Class<T> type) {
		return this.context.getBean(type);
	}

	public TestClient connect(String user, String... rooms) {
		return TestClient.connect(port(), TestTokens.forRooms(user, rooms));
	}

	@Override
	public void close() {
		this.context.close();
	}

}
