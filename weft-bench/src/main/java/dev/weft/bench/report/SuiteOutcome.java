package dev.weft.bench.report;

import dev.weft.bench.SuiteReport;
import dev.weft.bench.TargetLines;

import java.util.List;
import java.util.Objects;

/**
 * What became of one suite in a run of every suite: it ran (with its report), it failed (with
 * why), or it is not available in this build (with the part of weft that brings it). Whatever
 * it printed is kept for the report either way.
 *
 * @param suite   the suite's name ({@code sched})
 * @param state   whether it ran, failed or was not available
 * @param report  its results; null unless it ran
 * @param reason  why it failed or is not available; null when it ran
 * @param targets the target lines it rendered, in order (empty when it rendered none)
 * @param table   what it printed as its table (its standard output in a single-suite run)
 * @param log     what it printed as progress lines (its standard error in a single-suite run)
 * @param seconds how long it took, wall time
 */
public record SuiteOutcome(String suite, State state, SuiteReport report, String reason,
                           List<TargetLines.Target> targets, String table, String log, double seconds) {

    /** Whether a suite ran. */
    public enum State {
        /** It ran to the end and returned its report. */
        RAN,
        /** It threw: no report. */
        FAILED,
        /** It is not part of this build yet. */
        NOT_AVAILABLE
    }

    /**
     * @throws NullPointerException     when a field other than report or reason is null
     * @throws IllegalArgumentException when report is missing for a suite that ran, or reason for
     *                                  one that did not
     */
    public SuiteOutcome {
        Objects.requireNonNull(suite, "suite");
        Objects.requireNonNull(state, "state");
        targets = List.copyOf(targets);
        Objects.requireNonNull(table, "table");
        Objects.requireNonNull(log, "log");
        if (state == State.RAN && report == null) {
            throw new IllegalArgumentException("suite '" + suite + "' ran but has no report: pass its SuiteReport");
        }
        if (state != State.RAN && reason == null) {
            throw new IllegalArgumentException("suite '" + suite + "' is " + state + " but has no reason: say why");
        }
    }

    /** A suite that ran and returned {@code report}. */
    public static SuiteOutcome ran(SuiteReport report, List<TargetLines.Target> targets, String table,
                                   String log, double seconds) {
        return new SuiteOutcome(report.suite(), State.RAN, report, null, targets, table, log, seconds);
    }

    /** A suite that threw; {@code reason} says what. */
    public static SuiteOutcome failed(String suite, String reason, String table, String log, double seconds) {
        return new SuiteOutcome(suite, State.FAILED, null, reason, List.of(), table, log, seconds);
    }

    /** A suite this build does not have; {@code reason} names what brings it. */
    public static SuiteOutcome notAvailable(String suite, String reason) {
        return new SuiteOutcome(suite, State.NOT_AVAILABLE, null, reason, List.of(), "", "", 0);
    }
}
