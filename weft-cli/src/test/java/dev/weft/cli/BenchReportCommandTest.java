package dev.weft.cli;

import dev.weft.bench.BenchSuite;
import dev.weft.bench.Result;
import dev.weft.bench.SuiteReport;
import dev.weft.bench.TargetLines;
import dev.weft.bench.report.ReportRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code weft bench} without SUITE, with made-up suites in place of the real ones (which take minutes). */
class BenchReportCommandTest {

    @TempDir
    Path dir;

    /** A suite measuring weft at 300 and one peer at 100 ops/s, with one target (met). */
    private static final BenchSuite FAST = (quick, table, progress) -> {
        progress.println("fast: round 1 of 1");
        SuiteReport report = new SuiteReport("fast", quick, "25", 2, List.of(
                new Result("burst", "weft", "throughput", "ops/s", 300, 290, 310, 3, true, null),
                new Result("burst", "abq", "throughput", "ops/s", 100, 95, 105, 3, true, null)));
        TargetLines t = new TargetLines(report);
        t.ratio("burst: weft >= 2x abq", t.find("burst", "weft", "throughput"), t.find("burst", "abq", "throughput"), 2);
        table.println("fast's table");
        table.print(t.render());
        return report;
    };

    private static final BenchSuite BROKEN = (quick, table, progress) -> {
        throw new IllegalStateException("broken: lost 3 tasks");
    };

    private record Run(int status, String out, String err) {
    }

    private static Run bench(List<ReportRun.Entry> suites, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new BenchCommand(suites, false));
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int status = cli.execute(args);
        return new Run(status, out.toString(), err.toString());
    }

    @Test
    void everySuiteRunsAndTheReportIsWritten() throws Exception {
        Run run = bench(List.of(ReportRun.Entry.of("fast", () -> FAST),
                new ReportRun.Entry("later", null, "bench suite 'later' is not available yet")),
                "--report", dir.toString());

        assertEquals(0, run.status(), run.err());
        List<String> lines = run.out().lines().toList();
        assertEquals("bench: [1/2] fast ...", lines.get(0));
        assertTrue(lines.get(1).matches("bench: \\[1/2] fast \\.\\.\\. done in \\d+ s"), lines.get(1));
        assertEquals("bench: [2/2] later ... not available", lines.get(2));
        assertTrue(lines.get(3).matches("fast: ran in \\d+ s; weft better 1, peer better 0, noise 0;"
                + " targets met 1, missed 0, no verdict 0"), lines.get(3));
        assertEquals("later: not available: bench suite 'later' is not available yet", lines.get(4));
        assertEquals("report written to " + dir.toAbsolutePath().resolve("README.md"), lines.get(5));
        assertFalse(run.out().contains("fast's table"), "tables go to the report only");
        String md = Files.readString(dir.resolve("README.md"));
        assertTrue(md.contains("| abq | 100.0 ops/s | 95.0 ops/s .. 105.0 ops/s | 3 | **3.00x**, weft better |"), md);
        assertTrue(md.contains("| burst: weft \\>= 2x abq | 3.00x | met |"), md);
        // drawn where the machine has fonts (./test installs them), else named as not drawn; ReportDirectoryTest checks the image
        assertTrue(Files.isRegularFile(dir.resolve("charts/fast-burst-throughput.png"))
                || md.contains("(chart not drawn: "), md);
        assertTrue(Files.readString(dir.resolve("results.json")).contains("\"suites\": [\"fast\"]"));
        assertTrue(Files.readString(dir.resolve("tables/fast.txt")).startsWith("fast's table\n"));
    }

    @Test
    void aFailedSuiteStillYieldsTheReportAndExitsWithOne() throws Exception {
        Run run = bench(List.of(ReportRun.Entry.of("broken", () -> BROKEN), ReportRun.Entry.of("fast", () -> FAST)),
                "--report", dir.toString());

        assertEquals(ExitCodes.FAILED, run.status());
        assertTrue(run.out().contains("bench: [1/2] broken ... FAILED after"), run.out());
        assertTrue(run.out().matches("(?s).*\nbroken: FAILED after \\d+ s: IllegalStateException: broken: lost 3 tasks\n.*"),
                run.out());
        assertTrue(run.err().contains("broken failed; the report says why"), run.err());
        String md = Files.readString(dir.resolve("README.md"));
        assertTrue(md.contains("**Failed** after") && md.contains("IllegalStateException: broken: lost 3 tasks"), md);
        assertTrue(md.contains("## fast"), md);
    }

    @Test
    void jsonOptionAlsoWritesTheCombinedResults() throws Exception {
        Path json = dir.resolve("all.json");
        Run run = bench(List.of(ReportRun.Entry.of("fast", () -> FAST)),
                "--report", dir.resolve("report").toString(), "--json", json.toString());

        assertEquals(0, run.status(), run.err());
        assertEquals(Files.readString(dir.resolve("report/results.json")), Files.readString(json));
    }

    @Test
    void reportOptionWithASuiteIsAUsageErrorNamingTheFix() {
        Run run = bench(List.of(), "device", "--report", dir.toString());

        assertNotEquals(0, run.status());
        assertTrue(run.err().contains("--report") && run.err().contains("--json FILE"), run.err());
    }

    @Test
    void helpDescribesTheReport() {
        Run run = bench(List.of(), "--help");

        assertEquals(0, run.status());
        assertTrue(run.out().contains("--report=DIR"), run.out());
        assertTrue(run.out().contains("bench-report/"), run.out());
    }
}
