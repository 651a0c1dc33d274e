package dev.weft.bench.report;

import dev.weft.bench.FailureLine;
import dev.weft.bench.JsonReport;
import dev.weft.bench.SuiteReport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes the report of a run of every suite to a directory ({@code bench-report/} by default):
 * <ul>
 *   <li>{@code README.md}: the summary ({@link MarkdownSummary}), embedding the charts by
 *       relative links;</li>
 *   <li>{@code charts/<suite>-<case>-<metric>.png}: one bar chart per case and metric;</li>
 *   <li>{@code results.json}: every suite that ran, one document ({@link JsonReport#combined});</li>
 *   <li>{@code tables/<suite>.txt} and {@code logs/<suite>.log}: what each suite printed as its
 *       table and as progress lines.</li>
 * </ul>
 * Each write replaces the previous report: it first deletes {@code README.md},
 * {@code results.json} and the files in {@code charts/}, {@code tables/} and {@code logs/} that a
 * report writes ({@code .png}, {@code .txt}, {@code .log}), and nothing else, so a directory given
 * by the user keeps its other files. A chart that cannot be drawn is named in the summary with
 * the reason; the rest of the report is written regardless.
 */
public final class ReportDirectory {

    static final String README = "README.md";
    static final String RESULTS = "results.json";
    static final String CHARTS = "charts";
    static final String TABLES = "tables";
    static final String LOGS = "logs";

    private ReportDirectory() {
    }

    /**
     * Writes the report of {@code outcomes} to {@code dir}, replacing a previous one.
     *
     * @return the path of the written {@code README.md}
     * @throws IOException when the directory or a file other than a chart cannot be written
     */
    public static Path write(Path dir, List<SuiteOutcome> outcomes, Machine machine) throws IOException {
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new IOException("bench report directory " + dir + " is a file; give a directory"
                    + " (--report DIR) or remove the file");
        }
        Files.createDirectories(dir);
        clear(dir);
        Path charts = Files.createDirectories(dir.resolve(CHARTS));
        Map<String, String> links = new LinkedHashMap<>();
        Map<String, String> errors = new HashMap<>();
        for (SuiteOutcome o : outcomes) {
            if (o.state() == SuiteOutcome.State.RAN) {
                for (CaseMetric m : CaseMetric.of(o.report())) {
                    String file = m.chartFileName();
                    try {
                        BarChart.writePng(m, charts.resolve(file));
                        links.put(file, CHARTS + "/" + file);
                    } catch (IOException | RuntimeException | LinkageError | java.awt.AWTError | InternalError e) {
                        // no fonts (the JDK throws InternalError without fontconfig), no AWT, no
                        // room: the numbers still go in the tables
                        Path partial = charts.resolve(file);
                        if (Files.isRegularFile(partial)) {
                            Files.delete(partial);
                        }
                        errors.put(file, FailureLine.of(e));
                    }
                }
            }
            if (!o.table().isEmpty()) {
                Files.writeString(Files.createDirectories(dir.resolve(TABLES)).resolve(o.suite() + ".txt"), o.table());
            }
            if (!o.log().isEmpty()) {
                Files.writeString(Files.createDirectories(dir.resolve(LOGS)).resolve(o.suite() + ".log"), o.log());
            }
        }
        List<SuiteReport> reports = outcomes.stream()
                .filter(o -> o.state() == SuiteOutcome.State.RAN).map(SuiteOutcome::report).toList();
        if (!reports.isEmpty()) {
            Files.writeString(dir.resolve(RESULTS), JsonReport.combined(reports));
        }
        Path readme = dir.resolve(README);
        Files.writeString(readme, MarkdownSummary.render(outcomes, machine, links, errors, !reports.isEmpty()));
        return readme;
    }

    /** The link, relative to the report directory, of a suite's table. */
    static String tableLink(String suite) {
        return TABLES + "/" + suite + ".txt";
    }

    /** The link, relative to the report directory, of a suite's progress lines. */
    static String logLink(String suite) {
        return LOGS + "/" + suite + ".log";
    }

    /** Deletes what a previous report wrote, and nothing else. */
    private static void clear(Path dir) throws IOException {
        Files.deleteIfExists(dir.resolve(README));
        Files.deleteIfExists(dir.resolve(RESULTS));
        clear(dir.resolve(CHARTS), ".png");
        clear(dir.resolve(TABLES), ".txt");
        clear(dir.resolve(LOGS), ".log");
    }

    private static void clear(Path sub, String suffix) throws IOException {
        if (!Files.isDirectory(sub)) {
            return;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(sub, "*" + suffix)) {
            for (Path f : files) {
                if (Files.isRegularFile(f)) {
                    Files.delete(f);
                }
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }
}
