package dev.weft.bench.report;

import dev.weft.bench.BenchSuite;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The example of this package's documentation, as written there but for where it writes. */
class PackageExampleTest {

    @TempDir
    Path dir;

    @Test
    void packageExampleWritesAReport() throws Exception {
        BenchSuite mySuite = (quick, table, progress) -> Fakes.alpha();
        StringWriter shown = new StringWriter();

        Machine.Start start = Machine.Start.now();
        List<SuiteOutcome> outcomes;
        try (ProgressDisplay display = ProgressDisplay.plain(new PrintWriter(shown, true))) {
            outcomes = new ReportRun(List.of(ReportRun.Entry.of("mine", () -> mySuite)), display).run();
        }
        Path readme = ReportDirectory.write(dir.resolve("bench-report"), outcomes, start.end());

        assertEquals(dir.resolve("bench-report/README.md"), readme);
        assertTrue(Files.readString(readme).contains("## alpha"));
        assertTrue(shown.toString().startsWith("bench: [1/1] mine ..."), shown.toString());
    }
}
