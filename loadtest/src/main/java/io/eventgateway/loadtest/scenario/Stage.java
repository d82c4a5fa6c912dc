package io.eventgateway.loadtest.scenario;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.eventgateway.loadtest.Options;
import io.eventgateway.loadtest.UsageException;

/** One step of a ramp: move the connection count linearly to {@code target} over {@code duration}. */
record Stage(int target, Duration duration) {

	/** {@code 100:10s,500:10s,1000:20s,0:10s}. */
	static List<Stage> parseAll(String spec) {
		List<Stage> stages = new ArrayList<>();
		for (String part : spec.split(",", -1)) {
			String item = part.trim();
			int colon = item.indexOf(':');
			if (colon <= 0) {
				throw new UsageException("--stages: expected target:duration (500:10s), got '" + item + "'");
			}
			int target;
			try {
				target = Integer.parseInt(item.substring(0, colon));
			}
			catch (NumberFormatException ex) {
				throw new UsageException("--stages: the target is a whole number of connections, got '" + item + "'");
			}
			Duration duration = Options.parseDuration(item.substring(colon + 1), "--stages");
			if (target < 0 || duration.isNegative() || duration.isZero()) {
				throw new UsageException("--stages: a target of 0 or more over a positive duration, got '" + item + "'");
			}
			stages.add(new Stage(target, duration));
		}
		return List.copyOf(stages);
	}

	/** As written on the command line: {@code 500:10s}. */
	@Override
	public String toString() {
		return this.target + ":" + Options.durationText(this.duration);
	}

	/** The connection count {@code elapsed} into this stage, coming from {@code from}. */
	int countAt(int from, Duration elapsed) {
		double done = Math.min(1.0, (double) elapsed.toNanos() / this.duration.toNanos());
		return (int) Math.round(from + (this.target - from) * done);
	}

}
