package dev.weft.bench;

import java.util.Locale;
import java.util.Optional;

/**
 * The targets an issue states, checked against a suite's report: one line per target with the
 * measured ratio or value and {@code met} or {@code missed} ({@code n/a} when a side was not
 * measured). Targets are reported, never tuned for. Each suite lists its own targets with this.
 *
 * <pre>{@code
 * TargetLines t = new TargetLines(report);
 * t.ratio("skynet throughput: weft >= 1.5x jdk-vt", t.find("skynet", "weft", "throughput"),
 *         t.find("skynet", "jdk-vt", "throughput"), 1.5);
 * t.atMost("timer p99: weft <= 1 ms", t.find("timer", "weft", "p99"), 1e6);
 * t.below("idle-100c cpu: weft < 1% of a core", t.find("idle-100c", "weft", "cpu"), 1);
 * t.atLeast("spawn-exit: weft-proc >= 2e6 actors/s", t.find("spawn-exit", "weft-proc", "throughput"), 2e6);
 * String text = t.render();
 * }</pre>
 */
public final class TargetLines {

    private static final String LINE = "  %-72s %-9s %s%s%n";
    private static final String NOT_MEASURED = "  %-72s n/a (%s not measured)%n";

    private final SuiteReport report;
    private final StringBuilder out =
            new StringBuilder("targets (from the issue; reported, not tuned for):\n");

    /** Target lines for {@code report}. */
    public TargetLines(SuiteReport report) {
        this.report = report;
    }

    /** The measured result of {@code impl} on {@code caseName} for {@code metric}, if any. */
    public Optional<Result> find(String caseName, String impl, String metric) {
        return report.results().stream()
                .filter(r -> !r.isSkipped() && r.caseName().equals(caseName)
                        && r.impl().equals(impl) && r.metric().equals(metric))
                .findFirst();
    }

    /**
     * A target of the form "weft is at least {@code factor} times better than the peer" (see
     * {@link Result#advantageOver}); notes when the two spreads overlap.
     */
    public TargetLines ratio(String label, Optional<Result> weft, Optional<Result> peer, double factor) {
        if (weft.isEmpty() || peer.isEmpty()) {
            out.append(String.format(Locale.ROOT, NOT_MEASURED, label, weft.isEmpty() ? "weft" : "peer"));
            return this;
        }
        double ratio = weft.get().advantageOver(peer.get());
        String noise = weft.get().spreadOverlaps(peer.get()) ? " (spreads overlap: noise)" : "";
        out.append(String.format(Locale.ROOT, LINE, label, String.format(Locale.ROOT, "%.2fx", ratio),
                ratio >= factor ? "met" : "missed", noise));
        return this;
    }

    /** A target of the form "weft's median is at most {@code limit}", in the result's unit. */
    public TargetLines atMost(String label, Optional<Result> weft, double limit) {
        if (weft.isEmpty()) {
            out.append(String.format(Locale.ROOT, NOT_MEASURED, label, "weft"));
            return this;
        }
        double v = weft.get().value();
        out.append(String.format(Locale.ROOT, LINE, label, ResultTable.quantity(v, weft.get().unit()),
                v <= limit ? "met" : "missed", ""));
        return this;
    }

    /** A target of the form "this median is at least {@code floor}", in the result's unit; the label names the implementation. */
    public TargetLines atLeast(String label, Optional<Result> measured, double floor) {
        if (measured.isEmpty()) {
            out.append(String.format(Locale.ROOT, "  %-72s n/a (not measured)%n", label));
            return this;
        }
        double v = measured.get().value();
        out.append(String.format(Locale.ROOT, LINE, label, ResultTable.quantity(v, measured.get().unit()),
                v >= floor ? "met" : "missed", ""));
        return this;
    }

    /**
     * A target of the form "this median is below {@code limit}", strictly, in the result's unit;
     * the label names the implementation.
     */
    public TargetLines below(String label, Optional<Result> measured, double limit) {
        if (measured.isEmpty()) {
            out.append(String.format(Locale.ROOT, "  %-72s n/a (not measured)%n", label));
            return this;
        }
        double v = measured.get().value();
        out.append(String.format(Locale.ROOT, LINE, label, ResultTable.quantity(v, measured.get().unit()),
                v < limit ? "met" : "missed", ""));
        return this;
    }

    /**
     * A target this suite cannot check as stated: its line says so, with what was measured
     * instead ({@code text}), and no verdict.
     */
    public TargetLines notChecked(String label, String text) {
        out.append(String.format(Locale.ROOT, "  %-72s not checked: %s%n", label, text));
        return this;
    }

    /** The lines so far, ending with a newline. */
    public String render() {
        return out.toString();
    }
}
