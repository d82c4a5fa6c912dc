package io.eventgateway.core.taskfile;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.FluxSink;
import reactor.core.scheduler.Schedulers;

/**
 * Changes of {@code <dir>/<team>/tasks.json} as a stream of paths: from the file system's own events
 * (team folders are watched as they appear), or, for file systems without events, by comparing
 * size and modification time at an interval. Every file present at the start counts as changed once.
 */
public final class TaskFileWatcher {

	public static final String FILE_NAME = "tasks.json";

	private static final Logger logger = LoggerFactory.getLogger(TaskFileWatcher.class);

	private final Path root;

	private final boolean polling;

	private final Duration pollInterval;

	public TaskFileWatcher(Path root, boolean polling, Duration pollInterval) {
		this.root = root;
		this.polling = polling;
		this.pollInterval = pollInterval;
	}

	/** Every task file now under the root. */
	public List<Path> files() {
		List<Path> files = new ArrayList<>();
		try (DirectoryStream<Path> teams = Files.newDirectoryStream(this.root, Files::isDirectory)) {
			for (Path team : teams) {
				Path file = team.resolve(FILE_NAME);
				if (Files.isRegularFile(file)) {
					files.add(file);
				}
			}
		}
		catch (IOException ex) {
			logger.warn("listing task files under {} failed: {}", this.root, ex.getMessage());
		}
		return files;
	}

	public Flux<Path> changes() {
		return this.polling ? polled() : watched();
	}

	// A blocking take() on a plain thread of its own (not a Reactor one, which must never block).
	// The sink's buffer stays empty: its subscriber (StableFiles) takes every change at once and
	// keeps one entry per file, which is where changes are bounded and coalesced.
	private Flux<Path> watched() {
		return Flux.create(sink -> {
			WatchService service;
			try {
				service = this.root.getFileSystem().newWatchService();
			}
			catch (IOException ex) {
				sink.error(ex);
				return;
			}
			sink.onDispose(() -> close(service));
			Thread thread = new Thread(() -> watch(service, sink), "task-file-watcher");
			thread.setDaemon(true);
			thread.start();
		});
	}

	private void watch(WatchService service, FluxSink<Path> sink) {
		Map<WatchKey, Path> folders = new HashMap<>();
		try {
			folders.put(this.root.register(service, StandardWatchEventKinds.ENTRY_CREATE), this.root);
			try (DirectoryStream<Path> teams = Files.newDirectoryStream(this.root, Files::isDirectory)) {
				for (Path team : teams) {
					registerTeam(service, folders, team, sink);
				}
			}
			while (!sink.isCancelled()) {
				WatchKey key = service.take();
				Path folder = folders.get(key);
				for (WatchEvent<?> event : key.pollEvents()) {
					if (event.kind() == StandardWatchEventKinds.OVERFLOW) {
						files().forEach(sink::next);
						continue;
					}
					Path changed = folder.resolve((Path) event.context());
					if (folder.equals(this.root)) {
						if (Files.isDirectory(changed)) {
							registerTeam(service, folders, changed, sink);
						}
					}
					else if (changed.getFileName().toString().equals(FILE_NAME)) {
						sink.next(changed);
					}
				}
				if (!key.reset()) {
					folders.remove(key);
				}
			}
		}
		catch (InterruptedException | ClosedWatchServiceException ex) {
			// Stopped.
		}
		catch (IOException ex) {
			sink.error(ex);
		}
	}

	// A team folder and the file it may already hold (it can appear with the folder).
	private static void registerTeam(WatchService service, Map<WatchKey, Path> folders, Path team, FluxSink<Path> sink)
			throws IOException {
		folders.put(team.register(service, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY,
				StandardWatchEventKinds.ENTRY_DELETE), team);
		Path file = team.resolve(FILE_NAME);
		if (Files.exists(file)) {
			sink.next(file);
		}
	}

	private Flux<Path> polled() {
		Map<Path, Object> seen = new HashMap<>();
		return Flux.interval(Duration.ZERO, this.pollInterval, Schedulers.boundedElastic())
			.onBackpressureDrop()
			.concatMapIterable(tick -> {
				List<Path> changed = new ArrayList<>();
				Map<Path, Object> now = new HashMap<>();
				for (Path file : files()) {
					now.put(file, signature(file));
				}
				now.forEach((file, signature) -> {
					if (!Objects.equals(seen.get(file), signature)) {
						changed.add(file);
					}
				});
				seen.keySet().stream().filter(file -> !now.containsKey(file)).forEach(changed::add);
				seen.clear();
				seen.putAll(now);
				return changed;
			});
	}

	private static Object signature(Path file) {
		try {
			BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
			return List.of(attributes.size(), attributes.lastModifiedTime());
		}
		catch (IOException ex) {
			return null;
		}
	}

	private static void close(WatchService service) {
		try {
			service.close();
		}
		catch (IOException ex) {
			logger.debug("closing the watch service failed: {}", ex.getMessage());
		}
	}

}
