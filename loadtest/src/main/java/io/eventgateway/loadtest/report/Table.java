package io.eventgateway.loadtest.report;

import java.util.List;

/** A small table a scenario adds to its report (ramp stages, status codes, failure causes). */
public record Table(String title, List<String> columns, List<List<String>> rows) {

	public Table {
		columns = List.copyOf(columns);
		rows = rows.stream().map(List::copyOf).toList();
	}

}
