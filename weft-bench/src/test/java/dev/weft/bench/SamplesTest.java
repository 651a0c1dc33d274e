package dev.weft.bench;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SamplesTest {

    private static final Metric RATE = new Metric("throughput", "ops/s", true);
    private static final Metric P99 = new Metric("p99", "ns", false);

    private enum Case implements BenchCase {
        ONE("one", List.of(RATE, P99)),
        TWO("two", List.of(P99));

        private final String id;
        private final List<Metric> metrics;

        Case(String id, List<Metric> metrics) {
            this.id = id;
            this.metrics = metrics;
        }

        @Override
        public String id() {
            return id;
        }

        @Override
        public List<Metric> metrics() {
            return metrics;
        }
    }

    private static final List<Case> CASES = List.of(Case.values());

    private static String line(Result r) {
        return r.isSkipped() ? r.caseName() + "/" + r.impl() + " skipped: " + r.skipped()
                : r.caseName() + "/" + r.impl() + "/" + r.metric() + " " + r.value() + " x" + r.runs();
    }

    @Test
    void resultsGoByCaseThenMetricThenImplWithTheSkippedAfterEachCase() {
        Samples s = new Samples();
        for (String impl : List.of("weft", "peer")) {
            s.keep("one", impl, "throughput", 10);
            s.keep("one", impl, "throughput", 30);
            s.keep("one", impl, "throughput", 20);
            s.keep("one", impl, "p99", 5);
        }
        s.keep("two", "weft", "p99", 7);
        s.unavailable("absent", "not installed");

        List<String> lines = s.results(CASES, List.of("weft", "peer", "absent")).stream()
                .map(SamplesTest::line).toList();

        assertEquals(List.of("one/weft/throughput 20.0 x3", "one/peer/throughput 20.0 x3", "one/weft/p99 5.0 x1",
                "one/peer/p99 5.0 x1", "one/absent skipped: not installed", "two/weft/p99 7.0 x1",
                "two/peer skipped: not measured", "two/absent skipped: not installed"), lines);
    }

    @Test
    void failureDropsTheRoundsAndTheFirstReasonStands() {
        Samples s = new Samples();
        s.keep("one", "weft", "throughput", 1);
        s.keep("one", "weft", "p99", 1);

        s.fail("one", "weft", "failed in round 2/2: a stall");
        s.fail("one", "weft", "a later reason");

        assertTrue(s.isOut("one", "weft"));
        assertFalse(s.isOut("two", "weft"));
        assertEquals(List.of("one/weft skipped: failed in round 2/2: a stall", "two/weft skipped: not measured"),
                s.results(CASES, List.of("weft")).stream().map(SamplesTest::line).toList());
    }

    @Test
    void unavailableComesBeforeUnsupportedWhichComesBeforeAFailure() {
        Samples s = new Samples();
        s.unavailable("absent", "not installed");
        s.unavailable("absent", "a later reason");
        s.fail("two", "absent", "failed too");
        s.fail("two", "weft", "failed");
        s.keep("one", "weft", "throughput", 1);
        s.keep("one", "weft", "p99", 2);

        List<String> lines = s.results(CASES, List.of("weft", "absent"),
                (c, impl) -> c == Case.TWO ? Optional.of(impl + " has no " + c.id()) : Optional.empty())
                .stream().map(SamplesTest::line).toList();

        assertTrue(s.isUnavailable("absent"));
        assertTrue(s.isOut("one", "absent"));
        assertEquals(List.of("one/weft/throughput 1.0 x1", "one/weft/p99 2.0 x1", "one/absent skipped: not installed",
                "two/weft skipped: weft has no two", "two/absent skipped: not installed"), lines);
    }

    @Test
    void roundsAreKeptInOrderPerCaseImplAndMetric() {
        Samples s = new Samples();
        s.keep("one", "weft", "p99", 3);
        s.keep("one", "weft", "p99", 1);
        s.keep("one", "peer", "p99", 9);

        assertEquals(List.of(3.0, 1.0), s.rounds("one", "weft", "p99"));
        assertEquals(List.of(), s.rounds("one", "weft", "throughput"));
        assertTrue(s.hasRounds("one", "peer"));
        assertFalse(s.hasRounds("two", "peer"));
    }
}
