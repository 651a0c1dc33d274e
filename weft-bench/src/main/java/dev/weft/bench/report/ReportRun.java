package dev.weft.bench.report;

import dev.weft.bench.BenchSuite;
import dev.weft.bench.CaseProgress;
import dev.weft.bench.FailureLine;
import dev.weft.bench.Suite;
import dev.weft.bench.SuiteReport;
import dev.weft.bench.TargetLines;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Runs every suite in quick mode, one after the other, for a report: each suite's table and
 * progress lines are kept for the report instead of printed, the {@link ProgressDisplay} shows
 * how far the run has got (each suite's latest progress line, or the case it says it measures,
 * {@link CaseProgress}, whichever came last), and the target lines each suite renders are
 * collected ({@link TargetLines#RECORDED}). A suite that throws is noted as failed, with why, and the run
 * goes on with the next. The package documentation has an example.
 */
public final class ReportRun {

    /**
     * A suite to run.
     *
     * @param id      its name
     * @param factory makes the suite; null when it is not available in this build
     * @param missing why it is not available; null when it is
     */
    public record Entry(String id, Supplier<BenchSuite> factory, String missing) {

        /** @throws IllegalArgumentException unless exactly one of factory and missing is given */
        public Entry {
            Objects.requireNonNull(id, "id");
            if ((factory == null) == (missing == null)) {
                throw new IllegalArgumentException("suite '" + id + "': give either a factory (available)"
                        + " or why it is missing (not available), not " + (factory == null ? "neither" : "both"));
            }
        }

        /** An available suite. */
        public static Entry of(String id, Supplier<BenchSuite> factory) {
            return new Entry(id, Objects.requireNonNull(factory, "factory"), null);
        }
    }

    private final List<Entry> entries;
    private final ProgressDisplay display;

    /** A run of {@code entries}, in order, shown on {@code display}. */
    public ReportRun(List<Entry> entries, ProgressDisplay display) {
        this.entries = List.copyOf(entries);
        this.display = Objects.requireNonNull(display, "display");
    }

    /** The entries of {@code suites}, in order: every suite, available or not. */
    public static List<Entry> entries(Suite... suites) {
        return Arrays.stream(suites).map(s -> s.available()
                ? Entry.of(s.id(), s::create)
                : new Entry(s.id(), null, s.unavailableMessage())).toList();
    }

    /** Runs every entry; the outcomes are in the entries' order. */
    public List<SuiteOutcome> run() {
        List<SuiteOutcome> outcomes = new ArrayList<>(entries.size());
        int total = entries.size();
        for (int i = 0; i < total; i++) {
            Entry e = entries.get(i);
            if (e.factory() == null) {
                display.notRun(i + 1, total, e.id(), "not available");
                outcomes.add(SuiteOutcome.notAvailable(e.id(), e.missing()));
                continue;
            }
            SuiteOutcome o = runOne(e, i + 1, total);
            display.ended(i + 1, total, e.id(), o.seconds(), o.reason());
            outcomes.add(o);
        }
        return outcomes;
    }

    private SuiteOutcome runOne(Entry e, int index, int total) {
        StringWriter table = new StringWriter();
        LastLine progress = new LastLine(e.id() + ": ");
        List<TargetLines.Target> targets = new ArrayList<>();
        display.started(index, total, e.id(), progress::last);
        long start = System.nanoTime();
        PrintWriter tableOut = new PrintWriter(table, true);
        PrintWriter progressOut = new PrintWriter(progress, true);
        try {
            BenchSuite suite = e.factory().get();
            SuiteReport report = ScopedValue.where(TargetLines.RECORDED, targets)
                    .where(CaseProgress.LISTENER, progress::show)
                    .call(() -> suite.run(true, tableOut, progressOut));
            if (report == null) {
                throw new IllegalStateException("suite '" + e.id() + "' returned no report");
            }
            tableOut.flush();
            progressOut.flush();
            return SuiteOutcome.ran(report, targets, suite.references(), table.toString(), progress.text(),
                    secondsSince(start));
        } catch (Exception | LinkageError | AssertionError | OutOfMemoryError | StackOverflowError failure) {
            tableOut.flush();
            progressOut.flush();
            return SuiteOutcome.failed(e.id(), FailureLine.of(failure), table.toString(), progress.text(),
                    secondsSince(start));
        }
    }

    private static double secondsSince(long start) {
        return (System.nanoTime() - start) / 1e9;
    }

    /**
     * Keeps everything written to it, and for the display (which reads it from another thread)
     * the latest of: its last non-blank complete line, without the suite's own {@code "sched: "}
     * prefix, and what {@link #show} was last given.
     */
    static final class LastLine extends Writer {

        private final String prefix;
        private final StringBuilder all = new StringBuilder();
        private int lineStart;
        private volatile String last = "";

        LastLine(String prefix) {
            this.prefix = prefix;
        }

        @Override
        public synchronized void write(char[] chars, int off, int len) {
            for (int i = off; i < off + len; i++) {
                char c = chars[i];
                all.append(c);
                if (c == '\n') {
                    String line = all.substring(lineStart, all.length() - 1).strip();
                    if (!line.isEmpty()) {
                        last = line.startsWith(prefix) ? line.substring(prefix.length()) : line;
                    }
                    lineStart = all.length();
                }
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }

        /** Shows {@code what} until the next line or call. */
        void show(String what) {
            last = what;
        }

        /** The last non-blank complete line or shown text; empty before the first. */
        String last() {
            return last;
        }

        /** Everything written so far. */
        synchronized String text() {
            return all.toString();
        }
    }
}
