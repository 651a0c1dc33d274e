package dev.weft.bench;

import dev.weft.bench.TargetLines.Target;
import dev.weft.bench.TargetLines.Verdict;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TargetLinesTest {

    private static Result r(String impl, String metric, boolean higherIsBetter, double value, double min, double max) {
        return new Result("c", impl, metric, "ns", value, min, max, 3, higherIsBetter, null);
    }

    private static final SuiteReport REPORT = new SuiteReport("s", true, "25", 2, List.of(
            r("weft", "p99", false, 1000, 900, 1100),
            r("peer", "p99", false, 1500, 1400, 1600),
            r("weft", "p50", false, 30_000, 29_000, 31_000)));

    private static TargetLines lines() {
        TargetLines t = new TargetLines(REPORT);
        t.ratio("c p99: weft <= peer", t.find("c", "weft", "p99"), t.find("c", "peer", "p99"), 1);
        t.ratio("c p99: weft <= 0.5x peer", t.find("c", "weft", "p99"), t.find("c", "peer", "p99"), 2);
        t.atMost("c p50: weft <= 20 µs", t.find("c", "weft", "p50"), 20_000);
        t.below("c cpu: weft < 1%", t.find("c", "weft", "cpu"), 1);
        t.notChecked("c rss: weft < 1 MB", "measured heap only");
        return t;
    }

    @Test
    void eachLineIsKeptWithItsVerdict() {
        assertEquals(List.of(
                new Target("c p99: weft <= peer", "1.50x", Verdict.MET, ""),
                new Target("c p99: weft <= 0.5x peer", "1.50x", Verdict.MISSED, ""),
                new Target("c p50: weft <= 20 µs", "30.0 µs", Verdict.MISSED, ""),
                new Target("c cpu: weft < 1%", "", Verdict.NOT_MEASURED, "not measured"),
                new Target("c rss: weft < 1 MB", "", Verdict.NOT_CHECKED, "measured heap only")),
                lines().targets());
    }

    @Test
    void overlappingSpreadsAreNotedOnTheTarget() {
        SuiteReport close = new SuiteReport("s", true, "25", 2, List.of(
                r("weft", "p99", false, 1000, 900, 1100), r("peer", "p99", false, 1050, 1000, 1200)));
        TargetLines t = new TargetLines(close);
        t.ratio("p99", t.find("c", "weft", "p99"), t.find("c", "peer", "p99"), 1);

        assertEquals(new Target("p99", "1.05x", Verdict.MET, "spreads overlap: noise"), t.targets().getFirst());
        assertTrue(t.render().contains("1.05x     met (spreads overlap: noise)"), t.render());
    }

    @Test
    void theTextIsOneLinePerTargetUnderItsHeading() {
        String text = lines().render();

        assertEquals(6, text.lines().count(), text);
        assertTrue(text.startsWith("targets (from the issue; reported, not tuned for):\n"), text);
        assertTrue(text.contains(String.format("  %-72s %-9s %s%n", "c p99: weft <= 0.5x peer", "1.50x", "missed")), text);
        assertTrue(text.contains(String.format("  %-72s n/a (not measured)%n", "c cpu: weft < 1%")), text);
    }

    @Test
    void renderAddsTheTargetsToTheBoundListAndOnlyThere() throws Exception {
        List<Target> recorded = new ArrayList<>();
        TargetLines t = lines();

        ScopedValue.where(TargetLines.RECORDED, recorded).call(t::render);
        t.render();

        assertEquals(t.targets(), recorded);
    }
}
