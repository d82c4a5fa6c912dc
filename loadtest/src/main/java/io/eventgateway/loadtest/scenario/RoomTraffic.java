package io.eventgateway.loadtest.scenario;

import java.util.List;

import io.eventgateway.loadtest.Options;
import io.eventgateway.loadtest.measure.Monitor;
import io.eventgateway.loadtest.measure.SequenceAudit;
import io.eventgateway.loadtest.measure.Tally;
import io.eventgateway.loadtest.report.MetricKeys;
import io.eventgateway.loadtest.report.RunReport;

/**
 * The parts of a run where publishers send durable events into rooms {@code bench-*} and
 * subscribers receive them: one monitor of deliveries and acks, one audit of seqs, one place for
 * server errors and connection failures.
 */
final class RoomTraffic {

	/** How much is published: over how many rooms, at what total rate, how big, from how many connections. */
	/** @param ids whether every publish carries an event id (an idempotent publish) */
	record Load(int rooms, int rate, int payload, int publishers, boolean ids) {

		static Load from(Options options, int defaultRate, int defaultPublishers) {
			int rate = options.integer("rate", defaultRate, 0);
			return new Load(options.integer("rooms", 10, 1), rate, options.integer("payload", 100, 0),
					Publishers.countFor(options.integer("publishers", defaultPublishers, 1), rate), options.flag("ids"));
		}

		void describe(RunReport.Builder report) {
			report.parameter("rooms / publishers", this.rooms + " / " + this.publishers)
				.parameter("publish rate (target)", this.rate + "/s, payload " + this.payload + " B"
						+ (this.ids ? ", each with an id" : ""));
		}

	}

	final Monitor monitor;

	final ServerErrors errors;

	final SequenceAudit audit = new SequenceAudit();

	final Deliveries deliveries;

	final Publishers publishers;

	final Connector connector;

	final Tally connectFailures = new Tally();

	final Load load;

	RoomTraffic(CommonSettings common, Load load) {
		this.load = load;
		this.monitor = common.monitor("deliveries", MetricKeys.DELIVERY, MetricKeys.ACK);
		this.errors = new ServerErrors(this.monitor);
		this.deliveries = new Deliveries(this.monitor, this.audit, this.errors);
		this.publishers = new Publishers(load.rooms(), load.rate(), load.payload(), load.ids(), this.monitor, this.errors);
		this.connector = new Connector(common, List.of("bench-*"));
	}

	void openPublishers() {
		this.publishers.open(this.connector, this.load.publishers(), this.monitor, this.connectFailures);
	}

	/** Publishes and acks, then the connection failures by cause if there were any. */
	RunReport.Builder reportPublishes(RunReport.Builder report) {
		return report.count("published", "published", this.publishers.sent()).count("acked", "acked", this.publishers.acks());
	}

	RunReport.Builder reportFailures(RunReport.Builder report) {
		return this.connectFailures.total() == 0 ? report : report.counts("connection failures", "cause", this.connectFailures.snapshot());
	}

	/** The check every publishing run makes. */
	RunReport.Builder checkAcks(RunReport.Builder report) {
		return report.check("every publish acknowledged", this.publishers.acks() == this.publishers.sent(),
				this.publishers.acks() + " of " + this.publishers.sent());
	}

}
