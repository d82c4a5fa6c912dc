package io.eventgateway.loadtest.report;

/** A pass-or-fail statement about a run: a scenario's own correctness check or a command-line threshold. */
public record Check(String name, boolean passed, String detail) {

	public String verdict() {
		return this.passed ? "PASS" : "FAIL";
	}

}
