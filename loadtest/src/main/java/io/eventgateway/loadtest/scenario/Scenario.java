package io.eventgateway.loadtest.scenario;

import io.eventgateway.loadtest.report.RunReport;

/** One kind of load: it drives the gateway within bounded time and reports what it saw. */
public interface Scenario {

	RunReport run() throws Exception;

}
