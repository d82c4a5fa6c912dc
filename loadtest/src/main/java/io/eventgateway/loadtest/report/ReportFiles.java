package io.eventgateway.loadtest.report;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import io.eventgateway.loadtest.Options;
import io.eventgateway.loadtest.UsageException;
import org.HdrHistogram.Histogram;

/** The report files asked for on the command line: JSON, HdrHistogram's .hgrm, HTML. */
public record ReportFiles(Path json, Path hgrm, Path html) {

	/** Reads {@code --report-json}, {@code --report-hgrm}, {@code --report-html}; a folder that is missing is a usage error. */
	public static ReportFiles from(Options options) {
		return new ReportFiles(options.outputFile("report-json"), options.outputFile("report-hgrm"), options.outputFile("report-html"));
	}

	public void write(RunReport report) throws IOException {
		if (this.json != null) {
			Files.writeString(this.json, JsonReportWriter.write(report));
		}
		if (this.hgrm != null && report.mainLatency() != null) {
			Files.writeString(this.hgrm, hgrm(report.mainLatency()));
		}
		if (this.html != null) {
			Files.writeString(this.html, HtmlReportWriter.write(report));
		}
	}

	/** HdrHistogram's percentile distribution of a histogram in microseconds, shown in milliseconds. */
	static String hgrm(Histogram histogram) {
		ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
			histogram.outputPercentileDistribution(out, 1000.0);
		}
		return bytes.toString(StandardCharsets.UTF_8);
	}


}
