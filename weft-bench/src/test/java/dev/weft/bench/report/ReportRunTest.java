package dev.weft.bench.report;

import dev.weft.bench.BenchSuite;
import dev.weft.bench.CaseProgress;
import dev.weft.bench.SuiteReport;
import dev.weft.bench.TargetLines;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReportRunTest {

    /** A suite that prints as a real one does, renders its targets, and returns {@link Fakes#alpha()}. */
    private static final BenchSuite ALPHA = (quick, table, progress) -> {
        progress.println("alpha: round 1 of 1");
        SuiteReport report = Fakes.alpha();
        table.println("alpha table, quick=" + quick);
        table.print(Fakes.alphaTargets(report).render());
        return report;
    };

    /** A suite that prints part of its table, then throws. */
    private static final BenchSuite BROKEN = (quick, table, progress) -> {
        table.println("broken table so far");
        progress.println("broken: round 1 of 3");
        throw new IllegalStateException("broken: 2 wrong results");
    };

    private final StringWriter shown = new StringWriter();

    private List<SuiteOutcome> run(List<ReportRun.Entry> entries) {
        try (ProgressDisplay display = ProgressDisplay.plain(new PrintWriter(shown))) {
            return new ReportRun(entries, display).run();
        }
    }

    @Test
    void plainProgressIsOneLineWhenASuiteStartsAndOneWhenItEnds() {
        run(List.of(ReportRun.Entry.of("alpha", () -> ALPHA), ReportRun.Entry.of("broken", () -> BROKEN),
                new ReportRun.Entry("gamma", null, "bench suite 'gamma' is not available yet")));

        List<String> lines = shown.toString().lines().toList();
        assertEquals(5, lines.size(), shown.toString());
        assertEquals("bench: [1/3] alpha ...", lines.get(0));
        assertTrue(lines.get(1).matches("bench: \\[1/3] alpha \\.\\.\\. done in \\d+ s"), lines.get(1));
        assertEquals("bench: [2/3] broken ...", lines.get(2));
        assertTrue(lines.get(3).matches("bench: \\[2/3] broken \\.\\.\\. FAILED after \\d+ s:"
                + " IllegalStateException: broken: 2 wrong results"), lines.get(3));
        assertEquals("bench: [3/3] gamma ... not available", lines.get(4));
    }

    @Test
    void suitesRunQuickAndTheirOutputIsKeptForTheReportNotShown() {
        SuiteOutcome alpha = run(List.of(ReportRun.Entry.of("alpha", () -> ALPHA))).getFirst();

        assertEquals(SuiteOutcome.State.RAN, alpha.state());
        assertEquals(Fakes.alpha(), alpha.report());
        assertTrue(alpha.table().startsWith("alpha table, quick=true\n"), alpha.table());
        assertEquals("alpha: round 1 of 1\n", alpha.log());
        assertFalse(shown.toString().contains("alpha table"), shown.toString());
        assertFalse(shown.toString().contains("round 1"), shown.toString());
    }

    @Test
    void theTargetsASuiteRendersAreCollected() {
        SuiteOutcome alpha = run(List.of(ReportRun.Entry.of("alpha", () -> ALPHA))).getFirst();

        assertEquals(Fakes.alphaTargets(Fakes.alpha()).targets(), alpha.targets());
        assertEquals(List.of(TargetLines.Verdict.MISSED, TargetLines.Verdict.MET, TargetLines.Verdict.NOT_MEASURED),
                alpha.targets().stream().map(TargetLines.Target::verdict).toList());
    }

    @Test
    void theSuitesLikeForLikeComparisonsAreKept() {
        BenchSuite declaring = new BenchSuite() {
            @Override
            public SuiteReport run(boolean quick, PrintWriter table, PrintWriter progress) {
                return Fakes.alpha();
            }

            @Override
            public java.util.Map<String, List<String>> references() {
                return java.util.Map.of("peer-b", List.of("weft"));
            }
        };

        SuiteOutcome o = run(List.of(ReportRun.Entry.of("alpha", () -> declaring))).getFirst();

        assertEquals(java.util.Map.of("peer-b", List.of("weft")), o.references());
        assertTrue(o.compares("weft", "peer-b") && !o.compares("weft-nio", "peer-b") && o.compares("weft-nio", "peer-a"));
    }

    @Test
    void aFailingSuiteIsNotedWithWhyAndTheNextStillRuns() {
        List<SuiteOutcome> outcomes = run(List.of(ReportRun.Entry.of("broken", () -> BROKEN),
                ReportRun.Entry.of("alpha", () -> ALPHA)));

        SuiteOutcome broken = outcomes.get(0);
        assertEquals(SuiteOutcome.State.FAILED, broken.state());
        assertNull(broken.report());
        assertEquals("IllegalStateException: broken: 2 wrong results", broken.reason());
        assertEquals("broken table so far\n", broken.table());
        assertEquals(SuiteOutcome.State.RAN, outcomes.get(1).state());
    }

    @Test
    void aSuiteThatCannotBeCreatedFails() {
        SuiteOutcome o = run(List.of(ReportRun.Entry.of("nolib", () -> {
            throw new NoClassDefFoundError("io/netty/Channel");
        }))).getFirst();

        assertEquals(SuiteOutcome.State.FAILED, o.state());
        assertEquals("NoClassDefFoundError: io/netty/Channel", o.reason());
    }

    @Test
    void aSuiteReturningNoReportFails() {
        SuiteOutcome o = run(List.of(ReportRun.Entry.of("empty", () -> (quick, table, progress) -> null))).getFirst();

        assertEquals(SuiteOutcome.State.FAILED, o.state());
        assertTrue(o.reason().contains("suite 'empty' returned no report"), o.reason());
    }

    @Test
    void anUnavailableSuiteIsNotRunAndSaysWhatBringsIt() {
        SuiteOutcome o = run(List.of(new ReportRun.Entry("gamma", null, "arrives with gamma"))).getFirst();

        assertEquals(SuiteOutcome.State.NOT_AVAILABLE, o.state());
        assertEquals("arrives with gamma", o.reason());
    }

    @Test
    void anEntryNeedsEitherAFactoryOrWhyItIsMissing() {
        IllegalArgumentException neither = assertThrows(IllegalArgumentException.class,
                () -> new ReportRun.Entry("x", null, null));
        assertTrue(neither.getMessage().contains("'x'") && neither.getMessage().contains("neither"),
                neither.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new ReportRun.Entry("x", () -> ALPHA, "why"));
    }

    @Test
    void theDisplayShowsTheCaseASuiteSaysItMeasuresUntilItsNextProgressLine() {
        List<String> seen = new ArrayList<>();
        List<Supplier<String>> detail = new ArrayList<>();
        ProgressDisplay watching = new ProgressDisplay(new PrintWriter(shown)) {
            @Override
            public void started(int index, int total, String suite, Supplier<String> d) {
                detail.add(d);
            }

            @Override
            public void ended(int index, int total, String suite, double seconds, String failure) {
            }

            @Override
            public void notRun(int index, int total, String suite, String why) {
            }
        };
        BenchSuite saying = (quick, table, progress) -> {
            progress.println("says: warm-up");
            seen.add(detail.getFirst().get());
            CaseProgress.measuring("round 1/2", "burst", "weft");
            seen.add(detail.getFirst().get());
            progress.println("says: round 1/2 done");
            seen.add(detail.getFirst().get());
            return Fakes.beta();
        };

        new ReportRun(List.of(ReportRun.Entry.of("says", () -> saying)), watching).run();

        assertEquals(List.of("warm-up", "round 1/2: burst weft", "round 1/2 done"), seen);
    }

    @Test
    void caseProgressOutsideAReportRunDoesNothing() {
        assertDoesNotThrow(() -> CaseProgress.measuring("round 1/1", "burst", "weft"));
    }

    @Test
    void theDisplayShowsTheSuitesLastProgressLineWithoutItsPrefix() {
        ReportRun.LastLine tap = new ReportRun.LastLine("net: ");
        PrintWriter w = new PrintWriter(tap, true);

        assertEquals("", tap.last());
        w.println("net: warmed up against weft");
        w.println("   ");
        w.print("net: half a li");
        assertEquals("warmed up against weft", tap.last());
        w.println("ne");
        assertEquals("half a line", tap.last());
        w.println("other: kept whole");
        assertEquals("other: kept whole", tap.last());
        assertEquals("net: warmed up against weft\n   \nnet: half a line\nother: kept whole\n", tap.text());
    }

    @Test
    void terminalDisplayRedrawsOneLineThenLeavesItWithHowTheSuiteEnded() {
        StringWriter terminal = new StringWriter();
        try (ProgressDisplay display = ProgressDisplay.terminal(new PrintWriter(terminal), 40)) {
            display.started(1, 2, "sched", () -> "round 1 of 5: a progress line longer than the terminal");
            display.ended(1, 2, "sched", 41, null);
        }

        String text = terminal.toString();
        assertTrue(text.matches("(?s)\r\\[1/2] sched  \\d s  round 1 of 5: a progr?\u001b\\[K.*"), text);
        assertTrue(text.endsWith("\r[1/2] sched ... done in 41 s\u001b[K" + System.lineSeparator()), text);
    }
}
