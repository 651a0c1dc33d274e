package dev.weft.cli;

import dev.weft.bench.JsonReport;
import dev.weft.bench.Suite;
import dev.weft.bench.SuiteReport;
import dev.weft.bench.report.Machine;
import dev.weft.bench.report.ProgressDisplay;
import dev.weft.bench.report.ReportDirectory;
import dev.weft.bench.report.ReportRun;
import dev.weft.bench.report.SuiteOutcome;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.Console;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code weft bench [SUITE] [--quick] [--json FILE] [--report DIR]}: runs a benchmark suite,
 * prints its table and optionally writes its JSON report.
 *
 * <p>Without SUITE, runs every suite in quick mode, one after the other, and writes a report
 * directory ({@link ReportDirectory}: {@code README.md} with weft against every peer, the ratios
 * and the targets met and missed; {@code charts/}; {@code results.json}; each suite's table and
 * progress lines), {@code bench-report/} under {@link #resultsRoot()} unless {@code --report DIR}
 * says otherwise, replacing the previous report there. The suites' tables go to the report only;
 * the terminal shows one line per suite ({@link ProgressDisplay}), redrawn while it runs when
 * standard output is a terminal, plain lines otherwise. A suite that fails still gets its section
 * (saying why); the exit status is {@link ExitCodes#FAILED} when any suite failed.
 */
@Command(name = "bench",
        description = {
                "Measure weft against its peers, side by side in one run, and print the ratios.",
                "Without SUITE: run every suite in quick mode and write a report to bench-report/ (or"
                        + " --report DIR), replacing the previous one: README.md (weft against every peer,"
                        + " ratios, targets met and missed, skipped peers and why, the machine), charts/"
                        + " (one PNG bar chart per case and metric), results.json (every result), and each"
                        + " suite's table (tables/) and progress lines (logs/). The terminal shows one line"
                        + " per suite; exit status 1 when a suite failed (its section says why)."})
final class BenchCommand implements Callable<Integer> {

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
    boolean help;

    /** The report directory's name under {@link #resultsRoot()}. */
    static final String REPORT_DIR = "bench-report";

    /** The suites a run without SUITE runs: every suite; tests give their own. */
    private final List<ReportRun.Entry> everySuite;
    /** Whether standard output is a terminal; null: ask the console. Tests say. */
    private final Boolean terminal;

    BenchCommand() {
        this(ReportRun.entries(Suite.values()), null);
    }

    /** A command whose run without SUITE runs {@code everySuite}, on a terminal or not. */
    BenchCommand(List<ReportRun.Entry> everySuite, Boolean terminal) {
        this.everySuite = List.copyOf(everySuite);
        this.terminal = terminal;
    }

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", paramLabel = "SUITE",
            description = "One of: device, sched, actors, net, io, http.")
    String suite;

    @Option(names = "--quick",
            description = "Fewer rounds and smaller sizes, same cases: under 90 s per suite.")
    boolean quick;

    @Option(names = "--json", paramLabel = "FILE",
            description = "Also write the results as JSON to FILE (the format of BENCHMARKS.md).")
    Path json;

    @Option(names = "--report", paramLabel = "DIR",
            description = "Without SUITE: write the report to DIR instead of bench-report/.")
    Path report;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (suite == null) {
            return runAll(out);
        }
        if (report != null) {
            throw new ParameterException(spec.commandLine(), "--report " + report + " is for a run of every"
                    + " suite (weft bench without SUITE); for one suite use --json FILE");
        }
        Suite chosen = Suite.byId(suite).orElseThrow(() -> new ParameterException(
                spec.commandLine(), "unknown bench suite '" + suite + "'; valid suites: " + Suite.ids()));
        if (!chosen.available()) {
            err.println(chosen.unavailableMessage());
            return ExitCodes.NOT_AVAILABLE;
        }
        SuiteReport report = chosen.create().run(quick, out, err);
        if (json != null) {
            write(json, JsonReport.of(report), out);
        }
        return ExitCodes.OK;
    }

    /** Every suite, quick; one report directory. */
    private int runAll(PrintWriter out) throws IOException {
        Machine.Start start = Machine.Start.now();
        List<SuiteOutcome> outcomes;
        try (ProgressDisplay display = onTerminal() ? ProgressDisplay.terminal(out, columns())
                : ProgressDisplay.plain(out)) {
            outcomes = new ReportRun(everySuite, display).run();
        }
        Path dir = (report != null ? report : resultsRoot().resolve(REPORT_DIR)).toAbsolutePath();
        Path readme = ReportDirectory.write(dir, outcomes, start.end());
        outcomes.forEach(o -> out.println(o.summaryLine()));
        out.println("report written to " + readme);
        List<SuiteReport> reports = outcomes.stream()
                .filter(o -> o.state() == SuiteOutcome.State.RAN).map(SuiteOutcome::report).toList();
        if (json != null && !reports.isEmpty()) {
            write(json, JsonReport.combined(reports), out);
        }
        List<String> failed = outcomes.stream()
                .filter(o -> o.state() == SuiteOutcome.State.FAILED).map(SuiteOutcome::suite).toList();
        out.flush();
        if (!failed.isEmpty()) {
            spec.commandLine().getErr().println("bench: " + String.join(", ", failed) + " failed; the report"
                    + " says why (" + readme + ")");
            return ExitCodes.FAILED;
        }
        return ExitCodes.OK;
    }

    private boolean onTerminal() {
        if (terminal != null) {
            return terminal;
        }
        Console console = System.console();
        return console != null && console.isTerminal();
    }

    /** The terminal's width: {@code $COLUMNS}, else 80. */
    private static int columns() {
        try {
            return Integer.parseInt(System.getenv().getOrDefault("COLUMNS", "80").trim());
        } catch (NumberFormatException e) {
            return 80;
        }
    }

    private static void write(Path target, String document, PrintWriter out) throws IOException {
        Path absolute = target.toAbsolutePath();
        if (absolute.getParent() != null) {
            Files.createDirectories(absolute.getParent());
        }
        Files.writeString(absolute, document);
        out.println("report written to " + absolute);
        out.flush();
    }

    /**
     * The directory that holds {@code bench-report/}: the repository root when running from the
     * build's {@code weft-cli/target/lib} (as {@code ./weft} does), else the working directory.
     */
    static Path resultsRoot() {
        Path cwd = Path.of("").toAbsolutePath();
        try {
            CodeSource source = BenchCommand.class.getProtectionDomain().getCodeSource();
            if (source == null || source.getLocation() == null) {
                return cwd;
            }
            Path jar = Path.of(source.getLocation().toURI());
            Path lib = jar.getParent();
            if (lib != null && lib.endsWith(Path.of("weft-cli", "target", "lib"))) {
                Path root = lib.getParent().getParent().getParent();
                if (Files.isRegularFile(root.resolve("pom.xml"))) {
                    return root;
                }
            }
        } catch (URISyntaxException | RuntimeException e) {
            // not in the build layout: the working directory will do
        }
        return cwd;
    }
}
