package io.eventgateway.gateway.deploy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import io.eventgateway.gateway.testing.MissingPrerequisite;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code deploy/check}: the HAProxy and nginx configurations pass {@code haproxy -c} and
 * {@code nginx -t}, the Compose and Kubernetes files their schemas. A tool it lacks fails the test
 * with the line saying how to install it.
 */
class DeployFilesCheckTests {

	@Test
	void deploymentFilesPassTheirToolsAndSchemas() throws Exception {
		Path output = Files.createTempFile("deploy-check", ".out");
		try {
			Process check = new ProcessBuilder("bash", LocalCluster.repositoryRoot().resolve("deploy/check").toString())
				.redirectErrorStream(true)
				.redirectOutput(output.toFile())
				.start();
			if (!check.waitFor(3, TimeUnit.MINUTES)) {
				check.destroyForcibly();
				throw new AssertionError("deploy/check did not finish within 3 minutes:\n" + read(output));
			}
			String report = read(output);
			String missing = report.lines().filter(line -> line.startsWith("MISSING")).collect(Collectors.joining("; "));
			if (!missing.isEmpty()) {
				throw new MissingPrerequisite("deploy/check lacks a tool (bash .ci/run installs them): " + missing);
			}
			assertThat(check.exitValue()).as("deploy/check:\n%s", report).isZero();
			assertThat(report).contains("haproxy -c", "nginx -t", "kubernetes/deployment.yaml");
		}
		finally {
			Files.deleteIfExists(output);
		}
	}

	private static String read(Path file) throws IOException {
		return Files.readString(file, StandardCharsets.UTF_8);
	}

}
