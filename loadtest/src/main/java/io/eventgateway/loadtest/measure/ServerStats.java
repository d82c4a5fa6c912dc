package io.eventgateway.loadtest.measure;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import io.eventgateway.loadtest.UsageException;

/** CPU time and resident memory of server processes on this machine, read from /proc. */
public final class ServerStats {

	private static final double CLOCK_TICKS_PER_SECOND = 100;

	private final List<Long> pids;

	public ServerStats(List<Long> pids) {
		this.pids = List.copyOf(pids);
	}

	/** The processes, checked to be running here now. */
	public static ServerStats of(List<Long> pids) {
		for (long pid : pids) {
			if (!Files.isReadable(Path.of("/proc", String.valueOf(pid), "stat"))) {
				throw new UsageException("--server-pid " + pid + ": no such process on this machine");
			}
		}
		return new ServerStats(pids);
	}

	/** This generator's own process. */
	public static ServerStats self() {
		return new ServerStats(List.of(ProcessHandle.current().pid()));
	}

	public boolean isEnabled() {
		return !this.pids.isEmpty();
	}

	/** User plus system CPU seconds of all the processes. */
	public double cpuSeconds() {
		double total = 0;
		for (long pid : this.pids) {
			String stat = read(Path.of("/proc", String.valueOf(pid), "stat"));
			String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
			// Fields 14 and 15 of stat (utime, stime) are 11 and 12 after the command name.
			total += (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / CLOCK_TICKS_PER_SECOND;
		}
		return total;
	}

	/** Resident set size of all the processes, in KiB. */
	public long rssKib() {
		long total = 0;
		for (long pid : this.pids) {
			for (String line : read(Path.of("/proc", String.valueOf(pid), "status")).split("\n")) {
				if (line.startsWith("VmRSS:")) {
					total += Long.parseLong(line.replaceAll("[^0-9]", ""));
				}
			}
		}
		return total;
	}

	private static String read(Path path) {
		try {
			return Files.readString(path);
		}
		catch (IOException ex) {
			throw new IllegalStateException("cannot read " + path + ": is the server running on this machine?", ex);
		}
	}

}
