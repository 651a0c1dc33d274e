package dev.weft.bench;

import java.util.ArrayList;
import java.util.List;
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
 *
 * <p>Besides the text, each line is kept as a {@link Target} ({@link #targets()}). While
 * {@link #RECORDED} is bound, {@link #render()} also adds them to the bound list: that is how
 * {@code weft bench} without SUITE collects every suite's verdicts for its report without the
 * suites passing them on.
 */
public final class TargetLines {

    /** Whether a target was met. */
    public enum Verdict {
        /** Measured, and the target holds. */
        MET,
        /** Measured, and the target does not hold. */
        MISSED,
        /** A side of the comparison was not measured: no verdict. */
        NOT_MEASURED,
        /** The suite cannot check the target as stated: no verdict. */
        NOT_CHECKED
    }

    /**
     * One target line.
     *
     * @param label    the target as the issue states it
     * @param measured the measured ratio ({@code 1.23x}) or value with its unit; empty when there
     *                 is no verdict
     * @param verdict  met, missed, or why there is no verdict
     * @param note     what else the line says (spreads overlap, which side was not measured,
     *                 what was measured instead); empty when nothing
     */
    public record Target(String label, String measured, Verdict verdict, String note) {
    }

    /**
     * Where {@link #render()} also adds its targets, while bound (one list per suite run; the
     * binder reads it after the run).
     */
    public static final ScopedValue<List<Target>> RECORDED = ScopedValue.newInstance();

    private static final String LINE = "  %-72s %-9s %s%s%n";
    private static final String NOT_MEASURED = "  %-72s n/a (%s not measured)%n";

    private final SuiteReport report;
    private final StringBuilder out =
            new StringBuilder("targets (from the issue; reported, not tuned for):\n");
    private final List<Target> targets = new ArrayList<>();

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
            return notMeasured(label, weft.isEmpty() ? "weft" : "peer");
        }
        double ratio = weft.get().advantageOver(peer.get());
        String noise = weft.get().spreadOverlaps(peer.get()) ? "spreads overlap: noise" : "";
        return line(label, String.format(Locale.ROOT, "%.2fx", ratio), ratio >= factor, noise);
    }

    /** A target of the form "weft's median is at most {@code limit}", in the result's unit. */
    public TargetLines atMost(String label, Optional<Result> weft, double limit) {
        if (weft.isEmpty()) {
            return notMeasured(label, "weft");
        }
        double v = weft.get().value();
        return line(label, ResultTable.quantity(v, weft.get().unit()), v <= limit, "");
    }

    /** A target of the form "this median is at least {@code floor}", in the result's unit; the label names the implementation. */
    public TargetLines atLeast(String label, Optional<Result> measured, double floor) {
        if (measured.isEmpty()) {
            return notMeasured(label, null);
        }
        double v = measured.get().value();
        return line(label, ResultTable.quantity(v, measured.get().unit()), v >= floor, "");
    }

    /**
     * A target of the form "this median is below {@code limit}", strictly, in the result's unit;
     * the label names the implementation.
     */
    public TargetLines below(String label, Optional<Result> measured, double limit) {
        if (measured.isEmpty()) {
            return notMeasured(label, null);
        }
        double v = measured.get().value();
        return line(label, ResultTable.quantity(v, measured.get().unit()), v < limit, "");
    }

    /**
     * A target this suite cannot check as stated: its line says so, with what was measured
     * instead ({@code text}), and no verdict.
     */
    public TargetLines notChecked(String label, String text) {
        out.append(String.format(Locale.ROOT, "  %-72s not checked: %s%n", label, text));
        targets.add(new Target(label, "", Verdict.NOT_CHECKED, text));
        return this;
    }

    /** A measured line with its verdict. */
    private TargetLines line(String label, String measured, boolean met, String note) {
        out.append(String.format(Locale.ROOT, LINE, label, measured, met ? "met" : "missed",
                note.isEmpty() ? "" : " (" + note + ")"));
        targets.add(new Target(label, measured, met ? Verdict.MET : Verdict.MISSED, note));
        return this;
    }

    /** A line without a verdict because {@code side} (null: the one result it needs) was not measured. */
    private TargetLines notMeasured(String label, String side) {
        if (side == null) {
            out.append(String.format(Locale.ROOT, "  %-72s n/a (not measured)%n", label));
        } else {
            out.append(String.format(Locale.ROOT, NOT_MEASURED, label, side));
        }
        targets.add(new Target(label, "", Verdict.NOT_MEASURED, side == null ? "not measured" : side + " not measured"));
        return this;
    }

    /** The lines so far, one target each, in order. */
    public List<Target> targets() {
        return List.copyOf(targets);
    }

    /**
     * The lines so far, ending with a newline; while {@link #RECORDED} is bound, also adds
     * {@link #targets()} to the bound list.
     */
    public String render() {
        if (RECORDED.isBound()) {
            RECORDED.get().addAll(targets);
        }
        return out.toString();
    }
}
