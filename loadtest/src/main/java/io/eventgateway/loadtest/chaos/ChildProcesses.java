package io.eventgateway.loadtest.chaos;

import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Small things every process a chaos run starts needs: free ports, signals, waiting. */
final class ChildProcesses {

	private ChildProcesses() {
	}

	static int freePort() {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new IllegalStateException("no free port", ex);
		}
	}

	/** Sends a signal by name ({@code STOP}, {@code CONT}) to one process of this run. */
	static void signal(long pid, String name) {
		run(List.of("kill", "-" + name, Long.toString(pid)), Duration.ofSeconds(10));
	}

	/** Runs a short command and fails with its output unless it exits 0. */
	static String run(List<String> command, Duration timeout) {
		try {
			Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
			if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
				process.destroyForcibly();
				throw new IllegalStateException(String.join(" ", command) + " did not finish within " + timeout);
			}
			String output = new String(process.getInputStream().readAllBytes());
			if (process.exitValue() != 0) {
				throw new IllegalStateException(String.join(" ", command) + " exited " + process.exitValue() + ": " + output.strip());
			}
			return output;
		}
		catch (IOException ex) {
			throw new IllegalStateException("cannot run " + command.get(0) + ": " + ex.getMessage(), ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("interrupted", ex);
		}
	}

	static void sleep(Duration duration) {
		try {
			Thread.sleep(Math.max(0, duration.toMillis()));
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("interrupted", ex);
		}
	}

	/** Kills a child and waits for it; the JVM's exit does the same through {@link Testbed}'s hook. */
	static void kill(Process process) {
		process.destroyForcibly();
		try {
			process.waitFor(10, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
