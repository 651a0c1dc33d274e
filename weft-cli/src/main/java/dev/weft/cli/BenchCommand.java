package dev.weft.cli;

import dev.weft.bench.JsonReport;
import dev.weft.bench.Suite;
import dev.weft.bench.SuiteReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

/**
 * {@code weft bench [SUITE] [--quick] [--json FILE]}: runs a benchmark suite, prints its table
 * and optionally writes its JSON report. Without SUITE, runs every available suite in quick mode
 * and writes a report to {@code bench-results/bench-<yyyyMMdd-HHmmss>.json}.
 */
@Command(name = "bench",
        description = {
                "Measure weft against its peers, side by side in one run, and print the ratios.",
                "Without SUITE: run every available suite in quick mode and write a JSON report to"
                        + " bench-results/bench-<yyyyMMdd-HHmmss>.json (or --json FILE)."})
final class BenchCommand implements Callable<Integer> {

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
    boolean help;

    static final String RESULTS_DIR = "bench-results";
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

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

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (suite == null) {
            return runAll(out, err);
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

    /** Every available suite, quick; one combined report file. */
    private int runAll(PrintWriter out, PrintWriter err) throws IOException {
        List<SuiteReport> reports = new ArrayList<>();
        List<Suite> unavailable = Arrays.stream(Suite.values()).filter(s -> !s.available()).toList();
        for (Suite s : Suite.values()) {
            if (s.available()) {
                reports.add(s.create().run(true, out, err));
                out.println();
            }
        }
        if (!unavailable.isEmpty()) {
            out.println("not available yet: " + unavailable.stream()
                    .map(s -> s.id() + " (arrives with " + s.part() + ")")
                    .collect(Collectors.joining(", ")));
        }
        Path target = json != null ? json
                : resultsRoot().resolve(RESULTS_DIR)
                        .resolve("bench-" + LocalDateTime.now().format(STAMP) + ".json");
        write(target, JsonReport.combined(reports), out);
        return ExitCodes.OK;
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
     * The directory that holds {@code bench-results/}: the repository root when running from the
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
