package io.eventgateway.loadtest.report;

import java.nio.file.Files;
import java.nio.file.Path;

import io.eventgateway.loadtest.Options;
import io.eventgateway.loadtest.UsageException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ReportFilesTests {

	@TempDir
	Path folder;

	@Test
	void writesEveryFileAskedFor() throws Exception {
		ReportFiles files = ReportFiles.from(Options.parse("--report-json", this.folder.resolve("r.json").toString(),
				"--report-hgrm", this.folder.resolve("r.hgrm").toString(), "--report-html", this.folder.resolve("r.html").toString()));

		files.write(Reports.sample());

		assertThat(Files.readString(this.folder.resolve("r.json"))).contains("\"scenario\"");
		assertThat(Files.readString(this.folder.resolve("r.html"))).contains("<svg");
		String hgrm = Files.readString(this.folder.resolve("r.hgrm"));
		assertThat(hgrm).contains("Value     Percentile TotalCount 1/(1-Percentile)");
		assertThat(hgrm).contains("#[Max     =      100.031, Total count    =          100]");
	}

	@Test
	void writesNothingUnasked() throws Exception {
		ReportFiles.from(Options.parse()).write(Reports.sample());

		assertThat(this.folder).isEmptyDirectory();
	}

	@Test
	void aMissingFolderIsAUsageError() {
		assertThatThrownBy(() -> ReportFiles.from(Options.parse("--report-json", this.folder.resolve("no/such/r.json").toString())))
			.isInstanceOf(UsageException.class);
	}

}
