package dev.weft.bench.report;

import dev.weft.bench.Result;
import dev.weft.bench.ResultTable;
import dev.weft.bench.TargetLines.Target;
import dev.weft.bench.TargetLines.Verdict;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The report's {@code README.md}: the machine, a summary of every suite (how many comparisons
 * weft won, lost or tied within noise; targets met and missed), every missed target, then per
 * suite, per case and metric, weft against each peer with the ratio, a chart, the skipped peers
 * with their reasons, and the suite's targets.
 */
final class MarkdownSummary {

    private MarkdownSummary() {
    }

    /** How one weft implementation compares with one peer on one case and metric. */
    enum Comparison {
        WEFT_BETTER, PEER_BETTER, NOISE, NO_RATIO;

        static Comparison of(Result weft, Result peer) {
            double advantage = weft.advantageOver(peer);
            if (!Double.isFinite(advantage)) {
                return NO_RATIO;
            }
            return weft.spreadOverlaps(peer) ? NOISE : advantage > 1 ? WEFT_BETTER : PEER_BETTER;
        }
    }

    /**
     * The Markdown text.
     *
     * @param outcomes   every suite's outcome, in run order
     * @param machine    the machine line
     * @param chartLinks per chart file name ({@link CaseMetric#chartFileName()}), its link
     *                   relative to the report directory; a chart not in it was not drawn
     * @param chartErrors per chart file name, why it was not drawn
     * @param json       whether {@code results.json} was written
     */
    static String render(List<SuiteOutcome> outcomes, Machine machine, Map<String, String> chartLinks,
                         Map<String, String> chartErrors, boolean json) {
        StringBuilder md = new StringBuilder(16_384);
        md.append("# weft bench report\n\n");
        md.append("Written by `./weft bench` (every suite, quick mode). Each run replaces this directory's"
                + " README.md, results.json, charts/, tables/ and logs/.\n\n");
        md.append("Machine: ").append(escape(machine.line())).append("\n\n");
        md.append("Ratio = how many times better weft is than the peer, whichever way the metric goes:"
                + " weft/peer when higher is better, peer/weft when lower is better; above 1, weft is better."
                + " *noise*: the spreads (min .. max over the rounds) of the two overlap, so the difference"
                + " is within what one implementation varies by from run to run. A - instead of a ratio:"
                + " the suite compares that peer like for like with another of weft's implementations only.\n\n");
        summary(md, outcomes);
        missed(md, outcomes);
        md.append(json ? "Raw results (every suite that ran, one JSON document): [results.json](results.json).\n\n"
                : "No results.json: no suite ran to the end.\n\n");
        for (SuiteOutcome o : outcomes) {
            suite(md, o, chartLinks, chartErrors);
        }
        return md.toString();
    }

    private static void summary(StringBuilder md, List<SuiteOutcome> outcomes) {
        md.append("## Summary\n\n");
        md.append("| suite | outcome | time | weft better | peer better | noise | targets met | targets missed |"
                + " no verdict |\n");
        md.append("|---|---|---:|---:|---:|---:|---:|---:|---:|\n");
        for (SuiteOutcome o : outcomes) {
            md.append("| [").append(o.suite()).append("](#").append(anchor(o.suite())).append(") | ");
            switch (o.state()) {
                case RAN -> {
                    SuiteOutcome.Tally t = o.tally();
                    md.append("ran | ").append(seconds(o.seconds())).append(" | ")
                            .append(t.weftBetter()).append(" | ").append(t.peerBetter()).append(" | ")
                            .append(t.noise()).append(" | ").append(t.met()).append(" | ").append(t.missed())
                            .append(" | ").append(t.noVerdict()).append(" |\n");
                }
                case FAILED -> md.append("**failed** | ").append(seconds(o.seconds()))
                        .append(" | | | | | | |\n");
                case NOT_AVAILABLE -> md.append("not available | | | | | | | |\n");
            }
        }
        md.append('\n');
    }

    private static void missed(StringBuilder md, List<SuiteOutcome> outcomes) {
        md.append("## Missed targets\n\n");
        boolean any = false;
        for (SuiteOutcome o : outcomes) {
            for (Target t : o.targets()) {
                if (t.verdict() == Verdict.MISSED) {
                    md.append("- ").append(o.suite()).append(": ").append(escape(t.label())).append(": ")
                            .append(escape(t.measured())).append(escape(note(t))).append('\n');
                    any = true;
                }
            }
        }
        md.append(any ? "\n" : "None of the targets measured was missed.\n\n");
    }

    private static void suite(StringBuilder md, SuiteOutcome o, Map<String, String> chartLinks,
                              Map<String, String> chartErrors) {
        md.append("## ").append(o.suite()).append("\n\n");
        switch (o.state()) {
            case NOT_AVAILABLE -> {
                md.append("Not available in this build: ").append(escape(o.reason())).append(".\n\n");
                return;
            }
            case FAILED -> md.append("**Failed** after ").append(seconds(o.seconds())).append(": ")
                    .append(escape(o.reason())).append("\n\nNo results from this suite.");
            case RAN -> md.append("Ran in ").append(seconds(o.seconds()))
                    .append(o.report().quick() ? ", quick mode" : "").append(".");
        }
        md.append(outputLinks(o)).append("\n\n");
        if (o.state() != SuiteOutcome.State.RAN) {
            return;
        }
        for (Map.Entry<String, List<CaseMetric>> c : CaseMetric.byCase(o.report()).entrySet()) {
            md.append("### ").append(escape(c.getKey())).append("\n\n");
            for (CaseMetric m : c.getValue()) {
                caseMetric(md, o, m, chartLinks, chartErrors);
            }
            List<Result> skipped = o.report().results().stream()
                    .filter(r -> r.isSkipped() && r.caseName().equals(c.getKey())).toList();
            if (!skipped.isEmpty()) {
                md.append("Skipped:\n\n");
                for (Result r : skipped) {
                    md.append("- ").append(code(r.impl())).append(": ").append(escape(r.skipped())).append('\n');
                }
                md.append('\n');
            }
        }
        targets(md, o.targets());
    }

    private static void caseMetric(StringBuilder md, SuiteOutcome o, CaseMetric m, Map<String, String> chartLinks,
                                   Map<String, String> chartErrors) {
        md.append("#### ").append(escape(m.metric())).append(" (").append(escape(m.unit())).append(", ")
                .append(m.higherIsBetter() ? "higher" : "lower").append(" is better)\n\n");
        String file = m.chartFileName();
        if (chartLinks.containsKey(file)) {
            md.append("![").append(escape(m.suite() + " " + m.caseName() + " " + m.metric())).append("](")
                    .append(chartLinks.get(file)).append(")\n\n");
        } else if (chartErrors.containsKey(file)) {
            md.append("(chart not drawn: ").append(escape(chartErrors.get(file))).append(")\n\n");
        }
        List<Result> wefts = m.weftRows();
        md.append("| impl | median | spread (min .. max) | runs |");
        for (Result w : wefts) {
            md.append(' ').append(w.impl()).append(" vs this |");
        }
        md.append("\n|---|---:|---|---:|");
        md.append("---|".repeat(wefts.size())).append('\n');
        for (Result r : m.rows()) {
            boolean weft = CaseMetric.isWeft(r.impl());
            md.append("| ").append(weft ? "**" + r.impl() + "**" : r.impl()).append(" | ")
                    .append(ResultTable.quantity(r.value(), r.unit())).append(" | ")
                    .append(ResultTable.quantity(r.min(), r.unit())).append(" .. ")
                    .append(ResultTable.quantity(r.max(), r.unit())).append(" | ")
                    .append(r.runs()).append(" |");
            for (Result w : wefts) {
                md.append(' ').append(weft ? "" : o.compares(w.impl(), r.impl()) ? ratio(w, r) : "-").append(" |");
            }
            md.append('\n');
        }
        md.append('\n');
    }

    /** The ratio of {@code weft} over {@code peer} and who is better: {@code 1.23x, weft better}. */
    static String ratio(Result weft, Result peer) {
        Comparison c = Comparison.of(weft, peer);
        if (c == Comparison.NO_RATIO) {
            return "- (a median of 0)";
        }
        String ratio = String.format(Locale.ROOT, "%.2fx", weft.advantageOver(peer));
        return switch (c) {
            case WEFT_BETTER -> "**" + ratio + "**, " + weft.impl() + " better";
            case PEER_BETTER -> ratio + ", " + peer.impl() + " better";
            case NOISE -> ratio + ", noise";
            case NO_RATIO -> throw new AssertionError(c);
        };
    }

    private static void targets(StringBuilder md, List<Target> targets) {
        md.append("### Targets\n\n");
        if (targets.isEmpty()) {
            md.append("This suite reported no targets.\n\n");
            return;
        }
        md.append("| target | measured | verdict |\n|---|---|---|\n");
        for (Target t : targets) {
            String verdict = switch (t.verdict()) {
                case MET -> "met";
                case MISSED -> "**missed**";
                case NOT_MEASURED -> "n/a";
                case NOT_CHECKED -> "not checked";
            };
            md.append("| ").append(escape(t.label())).append(" | ").append(escape(t.measured())).append(" | ")
                    .append(verdict).append(escape(note(t))).append(" |\n");
        }
        md.append('\n');
    }

    private static String note(Target t) {
        return t.note().isEmpty() ? "" : " (" + t.note() + ")";
    }

    private static String outputLinks(SuiteOutcome o) {
        StringBuilder links = new StringBuilder();
        if (!o.table().isEmpty()) {
            links.append(" Its table as printed: [").append(ReportDirectory.tableLink(o.suite())).append("](")
                    .append(ReportDirectory.tableLink(o.suite())).append(").");
        }
        if (!o.log().isEmpty()) {
            links.append(" Its progress lines: [").append(ReportDirectory.logLink(o.suite())).append("](")
                    .append(ReportDirectory.logLink(o.suite())).append(").");
        }
        return links.toString();
    }

    private static String seconds(double s) {
        return String.format(Locale.ROOT, "%.0f s", s);
    }

    /** The heading anchor GitHub-style renderers make of a suite name. */
    private static String anchor(String heading) {
        return heading.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9 _-]", "").replace(' ', '-');
    }

    private static String code(String s) {
        return "`" + s.replace("`", "'") + "`";
    }

    /** Text for a Markdown table cell or line: one line, pipes and markup characters escaped. */
    static String escape(String s) {
        return s.replaceAll("\\s+", " ").replaceAll("([\\\\`*_\\[\\]|<>])", "\\\\$1");
    }
}
