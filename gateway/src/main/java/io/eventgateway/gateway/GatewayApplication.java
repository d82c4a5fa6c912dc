package io.eventgateway.gateway;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

@SpringBootApplication
@ConfigurationPropertiesScan
public class GatewayApplication {

	/** Reactor Netty's own default; set before Netty starts. */
	private static final String IO_WORKER_COUNT = "reactor.netty.ioWorkerCount";

	public static void main(String[] args) {
		// One event loop per core: Reactor Netty's default of at least four only adds context
		// switches on a small machine. An explicit -Dreactor.netty.ioWorkerCount wins.
		if (System.getProperty(IO_WORKER_COUNT) == null) {
			System.setProperty(IO_WORKER_COUNT, String.valueOf(Runtime.getRuntime().availableProcessors()));
		}
		SpringApplication.run(GatewayApplication.class, args);
	}

}
