package io.eventgateway.gateway.testing;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Prometheus' own programs, {@code promtool} and {@code prometheus}, found on the PATH or in /usr/bin. */
public final class PrometheusPrograms {

	private static final String INSTALL = "apt-get install prometheus";

	/** What a program said (stdout and stderr together) and how it ended. */
	public record Outcome(int exitCode, String output) {
	}

	private PrometheusPrograms() {
	}

	/** The program's path; a {@link MissingPrerequisite} when it is not installed. */
	public static Path executable(String program) {
		List<String> folders = new ArrayList<>();
		String path = System.getenv("PATH");
		if (path != null) {
			folders.addAll(List.of(path.split(File.pathSeparator)));
		}
		folders.add("/usr/bin");
		for (String folder : folders) {
			File candidate = new File(folder, program);
			if (candidate.canExecute()) {
				return candidate.toPath();
			}
		}
		throw new MissingPrerequisite(program + " is not installed (" + INSTALL + ")");
	}

	/** Runs {@code promtool} with these arguments in {@code directory}, {@code input} on its stdin. */
	public static Outcome promtool(Path directory, String input, String... arguments)
			throws IOException, InterruptedException {
		List<String> command = new ArrayList<>();
		command.add(executable("promtool").toString());
		command.addAll(List.of(arguments));
		Process promtool = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true).start();
		promtool.getOutputStream().write(input.getBytes(StandardCharsets.UTF_8));
		promtool.getOutputStream().close();
		String output = new String(promtool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		if (!promtool.waitFor(30, TimeUnit.SECONDS)) {
			promtool.destroyForcibly();
			throw new IllegalStateException("promtool " + String.join(" ", arguments) + " did not end within 30s");
		}
		return new Outcome(promtool.exitValue(), output.strip());
	}

}
