package io.eventgateway.gateway.metrics;

import java.util.Set;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.config.MeterFilterReply;

/**
 * Keeps the Prometheus exposition lint-clean ({@code promtool check metrics}): every family of the
 * gateway and of the web server gets its help text from {@link GatewayMeters}, and the three JVM
 * meters whose names the lint refuses are not registered. What they told is also in
 * {@code process_cpu_usage}, {@code system_cpu_usage} and the {@code jvm_gc_*} families.
 */
public final class MeterDescriptions implements MeterFilter {

	/** An abbreviated unit in the name ({@code _ms}, {@code _ns}), or a {@code _count} that is a gauge. */
	private static final Set<String> REFUSED_BY_LINT = Set.of("jvm.compilation.time", "process.cpu.time", "system.cpu.count");

	@Override
	public MeterFilterReply accept(Meter.Id id) {
		return REFUSED_BY_LINT.contains(id.getName()) ? MeterFilterReply.DENY : MeterFilterReply.NEUTRAL;
	}

	@Override
	public Meter.Id map(Meter.Id id) {
		String description = GatewayMeters.describe(id.getName());
		if (description == null || id.getDescription() != null) {
			return id;
		}
		return new Meter.Id(id.getName(), Tags.of(id.getTagsAsIterable()), id.getBaseUnit(), description, id.getType());
	}

}
