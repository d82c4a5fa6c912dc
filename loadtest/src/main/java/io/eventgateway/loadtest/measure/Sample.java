package io.eventgateway.loadtest.measure;

/**
 * One second of a run.
 *
 * @param seconds seconds since the run started, at the end of this sample
 * @param phase what the run was doing (warmup, measure, a stage, hold)
 * @param connections open connections at the end of the second
 * @param perSecond operations (deliveries, requests, connections) completed per second
 * @param p50Ms median latency of that second
 * @param p99Ms 99th percentile latency of that second
 * @param errors errors so far
 * @param serverCpuPercent the server's CPU use over the second (100 = one core), -1 when not measured
 * @param serverRssKib the server's resident memory at the end of the second, -1 when not measured
 */
public record Sample(double seconds, String phase, long connections, double perSecond, double p50Ms, double p99Ms,
		long errors, double serverCpuPercent, long serverRssKib) {

}
