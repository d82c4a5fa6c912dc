package io.eventgateway.loadtest.chaos;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A {@code redis-server} of the run's own, on a free port in a folder of its own: the only Redis a
 * chaos run stops, pauses or kills. After every start it checks that the process answering at its
 * port is the one it started, so a fault can never reach another Redis.
 */
final class PrivateRedis implements AutoCloseable {

	private static final Duration START_TIMEOUT = Duration.ofSeconds(20);

	private final int port = ChildProcesses.freePort();

	private final Path directory;

	private Process process;

	PrivateRedis(Path directory) {
		this.directory = directory;
	}

	String url() {
		return "redis://127.0.0.1:" + this.port + "/0";
	}

	synchronized void start() {
		try {
			this.process = new ProcessBuilder("redis-server", "--port", String.valueOf(this.port), "--bind", "127.0.0.1", "--save", "",
					"--appendonly", "no", "--dir", this.directory.toString())
				.redirectErrorStream(true)
				.redirectOutput(this.directory.resolve("redis.log").toFile())
				.start();
		}
		catch (IOException ex) {
			throw new IllegalStateException("redis-server could not be started (apt-get install redis-server): " + ex.getMessage(), ex);
		}
		long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
		while (true) {
			String pid = answeringPid();
			if (pid != null) {
				if (!pid.equals(Long.toString(this.process.pid()))) {
					kill();
					throw new IllegalStateException("the Redis answering on port " + this.port + " is process " + pid + ", not ours");
				}
				return;
			}
			if (!this.process.isAlive() || System.nanoTime() > deadline) {
				throw new IllegalStateException("redis-server did not answer on port " + this.port + "; see " + this.directory.resolve("redis.log"));
			}
			ChildProcesses.sleep(Duration.ofMillis(50));
		}
	}

	/** The {@code process_id} of INFO at our port, or null when nothing answers yet. */
	private String answeringPid() {
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress("127.0.0.1", this.port), 500);
			socket.setSoTimeout(1000);
			socket.getOutputStream().write("INFO server\r\n".getBytes(StandardCharsets.US_ASCII));
			InputStream in = socket.getInputStream();
			StringBuilder reply = new StringBuilder();
			byte[] buffer = new byte[8192];
			int read;
			while (!reply.toString().contains("process_id:") || !reply.substring(reply.indexOf("process_id:")).contains("\r\n")) {
				read = in.read(buffer);
				if (read < 0) {
					return null;
				}
				reply.append(new String(buffer, 0, read, StandardCharsets.US_ASCII));
			}
			String tail = reply.substring(reply.indexOf("process_id:") + "process_id:".length());
			return tail.substring(0, tail.indexOf("\r\n")).strip();
		}
		catch (IOException ex) {
			return null;
		}
	}

	/** Kills the server at once, as a crash would. */
	synchronized void kill() {
		if (this.process != null) {
			ChildProcesses.kill(this.process);
			this.process = null;
		}
	}

	/** SIGSTOP: connections stay open and nothing is answered. */
	synchronized void pause() {
		ChildProcesses.signal(this.process.pid(), "STOP");
	}

	synchronized void resume() {
		ChildProcesses.signal(this.process.pid(), "CONT");
	}

	@Override
	public synchronized void close() {
		if (this.process != null) {
			// A paused server ignores SIGTERM but not SIGKILL; continue it first so it exits cleanly either way.
			try {
				ChildProcesses.run(List.of("kill", "-CONT", Long.toString(this.process.pid())), Duration.ofSeconds(5));
			}
			catch (IllegalStateException ignored) {
				// Already gone.
			}
		}
		kill();
	}

}
