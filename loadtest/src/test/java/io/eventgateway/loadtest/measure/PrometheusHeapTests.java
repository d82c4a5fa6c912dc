package io.eventgateway.loadtest.measure;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PrometheusHeapTests {

	@Test
	void sumsEveryHeapPoolAndNothingElse() {
		String exposition = """
				# HELP jvm_memory_used_bytes The amount of used memory
				# TYPE jvm_memory_used_bytes gauge
				jvm_memory_used_bytes{application="event-gateway",area="heap",id="G1 Eden Space"} 2.5165824E7
				jvm_memory_used_bytes{application="event-gateway",area="heap",id="G1 Old Gen"} 1.0E7
				jvm_memory_used_bytes{application="event-gateway",area="heap",id="G1 Survivor Space"} 1048576.0
				jvm_memory_used_bytes{application="event-gateway",area="nonheap",id="Metaspace"} 9.9E7
				jvm_memory_committed_bytes{application="event-gateway",area="heap",id="G1 Old Gen"} 5.0E8
				""";

		assertThat(PrometheusHeap.heapBytes(exposition)).isEqualTo(25_165_824L + 10_000_000L + 1_048_576L);
	}

	@Test
	void answersMinusOneWithoutTheMetric() {
		assertThat(PrometheusHeap.heapBytes("process_uptime_seconds 12.0\n")).isEqualTo(-1);
	}

}
