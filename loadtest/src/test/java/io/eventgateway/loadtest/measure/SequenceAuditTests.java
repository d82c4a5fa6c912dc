package io.eventgateway.loadtest.measure;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SequenceAuditTests {

	@Test
	void countsMissingSeqsAndRepeatedOnes() {
		SequenceAudit audit = new SequenceAudit();
		long last = audit.observe(-1, 5);
		last = audit.observe(last, 6);
		last = audit.observe(last, 9);
		last = audit.observe(last, 9);
		last = audit.observe(last, 4);
		last = audit.observe(last, 10);

		assertThat(last).isEqualTo(10);
		assertThat(audit.gaps()).isEqualTo(2);
		assertThat(audit.duplicates()).isEqualTo(2);
	}

	@Test
	void missedEventsCountAsGaps() {
		SequenceAudit audit = new SequenceAudit();
		audit.missed(3);

		assertThat(audit.gaps()).isEqualTo(3);
		assertThat(audit.duplicates()).isZero();
	}

}
