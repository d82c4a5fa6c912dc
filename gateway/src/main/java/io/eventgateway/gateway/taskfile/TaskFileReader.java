package io.eventgateway.gateway.taskfile;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads a team's task file, refusing what a task file must not be: anything but a regular file, a
 * link that leads out of the watched folder (a file of the host's, written back or served as
 * tasks), or a file larger than the limit (read whole into memory).
 */
public final class TaskFileReader {

	private final Path root;

	private final long maxBytes;

	/** @param root the watched folder @param maxBytes largest file read */
	public TaskFileReader(Path root, long maxBytes) {
		this.root = root;
		this.maxBytes = maxBytes;
	}

	/** The file's bytes; a file it refuses is a {@link TaskFileException}. */
	public byte[] read(Path file) throws IOException {
		Path real = file.toRealPath();
		if (!real.startsWith(this.root.toRealPath())) {
			throw new TaskFileException("it leads out of the watched folder");
		}
		if (!Files.isRegularFile(real)) {
			throw new TaskFileException("it is not a regular file");
		}
		try (InputStream in = Files.newInputStream(real)) {
			// Read one byte past the limit rather than trust the size: the file may grow meanwhile.
			byte[] content = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, this.maxBytes + 1));
			if (content.length > this.maxBytes) {
				throw new TaskFileException("it is larger than " + this.maxBytes + " bytes");
			}
			return content;
		}
	}

}
