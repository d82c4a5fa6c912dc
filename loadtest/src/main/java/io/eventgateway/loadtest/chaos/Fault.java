package io.eventgateway.loadtest.chaos;

import java.time.Duration;

/**
 * The faults of the {@code chaos} scenarios: what each does to the testbed, for how long, and
 * whether readiness must show it. A fault that {@link #heals} is undone after its hold; the others
 * (a lost instance, a storm) are not, and recovery is timed from their start.
 */
enum Fault {

	SIGKILL("sigkill", "SIGKILL of one instance under load", false, false),
	SIGTERM("sigterm", "SIGTERM (the drain) of one instance under load", false, false),
	REDIS_RESTART("redis-restart", "Redis killed, started again after the hold", true, true),
	REDIS_PAUSE("redis-pause", "Redis frozen (SIGSTOP) longer than the Redis command timeout, then SIGCONT", true, true),
	POSTGRES_CUT("postgres-cut", "every PostgreSQL connection cut and refused for the hold", true, true),
	POSTGRES_SLOW("postgres-slow", "PostgreSQL traffic delayed 150 ms per chunk for the hold", true, false),
	STORM("storm", "every client of one instance reconnects at once to the others", false, false),
	SLOW("slow", "10 % of clients stop reading for the hold, then read again", true, false),
	SOAK("soak", "no fault: steady load, heap after GC and RSS sampled", false, false);

	final String command;

	final String description;

	final boolean heals;

	final boolean readiness;

	Fault(String command, String description, boolean heals, boolean readiness) {
		this.command = command;
		this.description = description;
		this.heals = heals;
		this.readiness = readiness;
	}

	/** How long the fault lasts before it is healed: past the Redis command timeout (2 s) for the pause. */
	Duration hold() {
		return switch (this) {
			case REDIS_RESTART -> Duration.ofSeconds(3);
			case REDIS_PAUSE, POSTGRES_CUT -> Duration.ofSeconds(6);
			case POSTGRES_SLOW -> Duration.ofSeconds(8);
			case SLOW -> Duration.ofSeconds(12);
			default -> Duration.ZERO;
		};
	}

	static Fault of(String command) {
		for (Fault fault : values()) {
			if (fault.command.equals(command)) {
				return fault;
			}
		}
		throw new IllegalArgumentException(command);
	}

}
