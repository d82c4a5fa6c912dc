package io.eventgateway.loadtest.chaos;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import tools.jackson.databind.json.JsonMapper;

/**
 * What a chaos run observed, in the order it was observed: kept in memory for the checker and
 * written to a JSON-lines file as it happens, so a failed run can be read afterwards.
 */
public final class History implements AutoCloseable {

	static final JsonMapper JSON = JsonMapper.builder().build();

	private final long startMillis = System.currentTimeMillis();

	private final List<Observation> observations = new ArrayList<>();

	private final BufferedWriter file;

	public History(Path file) {
		try {
			this.file = file == null ? null : Files.newBufferedWriter(file, StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("cannot write the history to " + file, ex);
		}
	}

	/** Milliseconds since the run started: the {@code t} of the next observation. */
	public long now() {
		return System.currentTimeMillis() - this.startMillis;
	}

	public synchronized void add(Observation observation) {
		this.observations.add(observation);
		if (this.file != null) {
			try {
				this.file.write(JSON.writerFor(Observation.class).writeValueAsString(observation));
				this.file.newLine();
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		}
	}

	public synchronized List<Observation> observations() {
		return List.copyOf(this.observations);
	}

	/** Reads a history file back, as the checker takes it. */
	public static List<Observation> read(Path file) throws IOException {
		List<Observation> observations = new ArrayList<>();
		for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
			if (!line.isBlank()) {
				observations.add(JSON.readValue(line, Observation.class));
			}
		}
		return observations;
	}

	@Override
	public synchronized void close() {
		if (this.file != null) {
			try {
				this.file.close();
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		}
	}

}
