package dev.weft.bench.report;

import dev.weft.bench.Result;
import dev.weft.bench.SuiteReport;
import dev.weft.bench.TargetLines;

import java.util.List;
import java.util.Locale;
import java.util.Map;
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
 * @param references the comparisons it calls like for like ({@link dev.weft.bench.BenchSuite#references()})
 * @param table   what it printed as its table (its standard output in a single-suite run)
 * @param log     what it printed as progress lines (its standard error in a single-suite run)
 * @param seconds how long it took, wall time
 */
public record SuiteOutcome(String suite, State state, SuiteReport report, String reason,
                           List<TargetLines.Target> targets, Map<String, List<String>> references,
                           String table, String log, double seconds) {

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
        references = Map.copyOf(references);
        Objects.requireNonNull(table, "table");
        Objects.requireNonNull(log, "log");
        if (state == State.RAN && report == null) {
            throw new IllegalArgumentException("suite '" + suite + "' ran but has no report: pass its SuiteReport");
        }
        if (state != State.RAN && reason == null) {
            throw new IllegalArgumentException("suite '" + suite + "' is " + state + " but has no reason: say why");
        }
    }

    /**
     * How a suite's comparisons and targets came out.
     *
     * @param weftBetter (weft implementation, peer) pairs on a case and metric where weft is
     *                   better beyond the spreads
     * @param peerBetter pairs where the peer is better beyond the spreads
     * @param noise      pairs whose spreads overlap
     * @param met        targets met
     * @param missed     targets missed
     * @param noVerdict  targets not measured or not checked
     */
    public record Tally(int weftBetter, int peerBetter, int noise, int met, int missed, int noVerdict) {
    }

    /**
     * Whether the report compares weft's implementation {@code weft} with {@code peer}: the ones
     * the suite lists for that peer in {@link #references()}, every one when it lists none.
     */
    public boolean compares(String weft, String peer) {
        List<String> refs = references.get(peer);
        return refs == null || refs.contains(weft);
    }

    /** The tally of this suite's comparisons (none unless it ran) and targets. */
    public Tally tally() {
        int[] pairs = new int[3];
        if (report != null) {
            for (CaseMetric m : CaseMetric.of(report)) {
                for (Result w : m.weftRows()) {
                    for (Result p : m.peerRows()) {
                        if (!compares(w.impl(), p.impl())) {
                            continue;
                        }
                        MarkdownSummary.Comparison c = MarkdownSummary.Comparison.of(w, p);
                        if (c != MarkdownSummary.Comparison.NO_RATIO) {
                            pairs[c.ordinal()]++;
                        }
                    }
                }
            }
        }
        int met = (int) targets.stream().filter(t -> t.verdict() == TargetLines.Verdict.MET).count();
        int missed = (int) targets.stream().filter(t -> t.verdict() == TargetLines.Verdict.MISSED).count();
        return new Tally(pairs[0], pairs[1], pairs[2], met, missed, targets.size() - met - missed);
    }

    /**
     * One line for the terminal: {@code sched: ran in 41 s; weft better 10, peer better 2, noise 3;
     * targets met 4, missed 1, no verdict 0}, or that it failed and why, or is not available.
     */
    public String summaryLine() {
        return switch (state) {
            case RAN -> {
                Tally t = tally();
                yield String.format(Locale.ROOT, "%s: ran in %.0f s; weft better %d, peer better %d, noise %d;"
                                + " targets met %d, missed %d, no verdict %d", suite, seconds, t.weftBetter(),
                        t.peerBetter(), t.noise(), t.met(), t.missed(), t.noVerdict());
            }
            case FAILED -> String.format(Locale.ROOT, "%s: FAILED after %.0f s: %s", suite, seconds, reason);
            case NOT_AVAILABLE -> suite + ": not available: " + reason;
        };
    }

    /** A suite that ran and returned {@code report}, comparing every weft implementation with every peer. */
    public static SuiteOutcome ran(SuiteReport report, List<TargetLines.Target> targets, String table,
                                   String log, double seconds) {
        return ran(report, targets, Map.of(), table, log, seconds);
    }

    /** A suite that ran and returned {@code report}, comparing as {@code references} says. */
    public static SuiteOutcome ran(SuiteReport report, List<TargetLines.Target> targets,
                                   Map<String, List<String>> references, String table, String log, double seconds) {
        return new SuiteOutcome(report.suite(), State.RAN, report, null, targets, references, table, log, seconds);
    }

    /** A suite that threw; {@code reason} says what. */
    public static SuiteOutcome failed(String suite, String reason, String table, String log, double seconds) {
        return new SuiteOutcome(suite, State.FAILED, null, reason, List.of(), Map.of(), table, log, seconds);
    }

    /** A suite this build does not have; {@code reason} names what brings it. */
    public static SuiteOutcome notAvailable(String suite, String reason) {
        return new SuiteOutcome(suite, State.NOT_AVAILABLE, null, reason, List.of(), Map.of(), "", "", 0);
    }
}
