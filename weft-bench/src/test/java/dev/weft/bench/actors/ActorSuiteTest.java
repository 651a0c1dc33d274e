package dev.weft.bench.actors;

import dev.weft.bench.JsonReport;
import dev.weft.bench.Result;
import dev.weft.bench.SuiteReport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(value = 120, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ActorSuiteTest {

    static final ActorSizes TINY = new ActorSizes(10, 10, 3, 5, 5, 4, 21, 4, 10, 3, 5, 10, 10, 10);
    private static final ActorPlan ONE_ROUND = new ActorPlan(0, 1, 1, TINY, Duration.ofSeconds(20),
            Duration.ofSeconds(60));

    private static final List<String> IMPLS = ActorSuite.IMPLS;
    private static final Map<String, List<String>> TWO_TUNED = Map.of("pekko-tuned",
            List.of("pekko-tuned[fast]", "pekko-tuned[slow]"));

    /** Fake candidates: erlang with two cases, pekko-tuned[slow] twice as slow as pekko-tuned[fast]. */
    private static ActorImpl computed(String name, int parallelism) {
        return switch (name) {
            case "erlang" -> new ComputedActors.TwoCases(name);
            case "pekko-tuned[fast]" -> new ComputedActors(name, "pekko-tuned", 1_000_000);
            case "pekko-tuned[slow]" -> new ComputedActors(name, "pekko-tuned", 2_000_000);
            default -> new ComputedActors(name);
        };
    }

    private record Outcome(SuiteReport report, String table) {
    }

    private static Outcome run(ActorSuite suite) {
        StringWriter table = new StringWriter();
        SuiteReport report = suite.run(true, new PrintWriter(table), new PrintWriter(new StringWriter()));
        return new Outcome(report, table.toString());
    }

    private static Result find(SuiteReport report, String c, String impl, String metric) {
        return report.results().stream().filter(r -> r.caseName().equals(c) && r.impl().equals(impl)
                && (metric == null ? r.isSkipped() : !r.isSkipped() && r.metric().equals(metric)))
                .findFirst().orElseThrow(() -> new AssertionError("no " + c + "/" + impl + "/" + metric + " in "
                        + report.results()));
    }

    @Test
    void everyCaseImplAndMetricHasTheIssuesName() {
        SuiteReport report = run(new ActorSuite(IMPLS, TWO_TUNED, ActorSuiteTest::computed, ONE_ROUND, ONE_ROUND))
                .report();

        String json = JsonReport.of(report);
        assertTrue(json.contains("\"suite\": \"actors\""), json);
        List<String> savina = List.of("ping-pong", "counting", "fj-throughput", "fj-create", "thread-ring",
                "chameneos", "big");
        for (String impl : List.of("weft-proc", "weft-handler", "pekko", "pekko-tuned")) {
            for (String c : savina) {
                assertTrue(json.contains("{\"case\": \"" + c + "\", \"impl\": \"" + impl + "\", \"metric\": \"throughput\""),
                        c + "/" + impl + " in\n" + json);
            }
            assertTrue(json.contains("{\"case\": \"spawn-exit\", \"impl\": \"" + impl + "\", \"metric\": \"throughput\", \"unit\": \"actors/s\""), json);
            assertTrue(json.contains("{\"case\": \"idle-bytes\", \"impl\": \"" + impl + "\", \"metric\": \"bytes\", \"unit\": \"B\""), json);
            assertTrue(json.contains("{\"case\": \"call-rtt\", \"impl\": \"" + impl + "\", \"metric\": \"p50\", \"unit\": \"ns\""), json);
            assertTrue(json.contains("{\"case\": \"call-rtt\", \"impl\": \"" + impl + "\", \"metric\": \"p99\", \"unit\": \"ns\""), json);
        }
        for (String c : List.of("ping-pong", "thread-ring")) {
            assertTrue(json.contains("{\"case\": \"" + c + "\", \"impl\": \"erlang\", \"metric\": \"throughput\""), json);
        }
        for (String c : List.of("counting", "fj-throughput", "fj-create", "chameneos", "big", "idle-bytes",
                "spawn-exit", "call-rtt")) {
            assertTrue(json.contains("{\"case\": \"" + c + "\", \"impl\": \"erlang\", \"skipped\": \"two cases only\"}"),
                    c + " in\n" + json);
        }
        assertTrue(report.results().stream().noneMatch(r -> r.impl().startsWith("pekko-tuned[")),
                "candidates are reported under their implementation's name only");
    }

    @Test
    void throughputIsTheCasesOperationsOverTheWallTime() {
        SuiteReport report = run(new ActorSuite(IMPLS, TWO_TUNED, ActorSuiteTest::computed, ONE_ROUND, ONE_ROUND))
                .report();

        // 1 ms per workload (ComputedActors): ping-pong counts both messages of each round trip
        assertEquals(2 * 10 / 1e-3, find(report, "ping-pong", "weft-proc", "throughput").value(), 1e-6);
        assertEquals("msgs/s", find(report, "ping-pong", "weft-proc", "throughput").unit());
        assertEquals(21 / 1e-3, find(report, "thread-ring", "pekko", "throughput").value(), 1e-6);
        assertEquals("hops/s", find(report, "thread-ring", "pekko", "throughput").unit());
        assertEquals(4 * 10 / 1e-3, find(report, "chameneos", "weft-handler", "throughput").value(), 1e-6);
    }

    @Test
    void tunedPekkoKeepsItsBestCandidatePerCaseAndSaysWhich() {
        Outcome o = run(new ActorSuite(IMPLS, TWO_TUNED, ActorSuiteTest::computed, ONE_ROUND, ONE_ROUND));

        assertEquals(find(o.report(), "big", "pekko", "throughput").value(),
                find(o.report(), "big", "pekko-tuned", "throughput").value(), 1e-6); // fast: 1 ms like pekko
        assertEquals(1_000_000, find(o.report(), "call-rtt", "pekko-tuned", "p50").value(), 1_000); // lower is better
        assertTrue(o.table().contains("pekko-tuned, big (throughput): kept pekko-tuned[fast]"), o.table());
        assertTrue(o.table().contains("pekko-tuned, call-rtt (p50): kept pekko-tuned[fast]"), o.table());
    }

    @Test
    void candidateThatCannotStartLeavesTheOtherToStandForItsImplementation() {
        ActorSuite suite = new ActorSuite(IMPLS, TWO_TUNED, (n, p) -> {
            if (n.equals("pekko-tuned[slow]")) {
                throw new IllegalStateException("no such executor here");
            }
            return computed(n, p);
        }, ONE_ROUND, ONE_ROUND);

        Outcome o = run(suite);

        assertFalse(find(o.report(), "counting", "pekko-tuned", "throughput").isSkipped());
        assertTrue(o.table().contains("pekko-tuned[slow] cannot run here: IllegalStateException: no such executor here"),
                o.table());
    }

    @Test
    void erlangMissingIsSkippedInEveryCaseNamingThePackageToInstall() {
        ActorSuite suite = new ActorSuite(IMPLS, TWO_TUNED, (n, p) -> n.equals("erlang")
                ? new ErlangActors(p, "") : computed(n, p), ONE_ROUND, ONE_ROUND);

        List<Result> erlang = run(suite).report().results().stream().filter(r -> r.impl().equals("erlang")).toList();

        assertEquals(ActorCase.values().length, erlang.size());
        assertTrue(erlang.stream().allMatch(r -> r.isSkipped() && r.skipped().contains("erlang-base")), erlang.toString());
    }

    @Test
    void wrongResultFailsTheRunLoudly() {
        ActorSuite suite = new ActorSuite(IMPLS, TWO_TUNED, (n, p) -> n.equals("pekko")
                ? new ComputedActors(n) {
                    @Override
                    public Timed big(int actors, int pingsEach) {
                        return new Timed((long) actors * pingsEach - 1, 1_000); // one pong lost
                    }
                } : computed(n, p), ONE_ROUND, ONE_ROUND);
        StringWriter table = new StringWriter();

        IllegalStateException e = assertThrows(IllegalStateException.class, () ->
                suite.run(true, new PrintWriter(table), new PrintWriter(new StringWriter())));

        assertTrue(e.getMessage().contains("big/pekko") && e.getMessage().contains("expected 15"), e.getMessage());
        assertTrue(table.toString().contains("WRONG RESULTS"), table.toString());
    }

    @Test
    void measurementThatOutlivesTheTimeoutIsAbandonedAndReportedWhileTheRestGoesOn() {
        ActorPlan impatient = new ActorPlan(0, 1, 1, TINY, Duration.ofMillis(300), Duration.ofSeconds(60));
        CountDownLatch never = new CountDownLatch(1);
        ComputedActors stuck = new ComputedActors("weft-proc") {
            @Override
            public Timed chameneos(int creatures, int meetings) throws Exception {
                never.await(); // until the driver is interrupted
                return super.chameneos(creatures, meetings);
            }
        };
        ActorSuite suite = new ActorSuite(IMPLS, TWO_TUNED, (n, p) -> n.equals("weft-proc") ? stuck : computed(n, p),
                impatient, impatient);

        Outcome o = run(suite);

        Result chameneos = find(o.report(), "chameneos", "weft-proc", null);
        assertTrue(chameneos.skipped().contains("did not finish within 0.3 s"), chameneos.toString());
        assertTrue(stuck.abandoned);
        assertFalse(find(o.report(), "big", "weft-proc", "throughput").isSkipped());
        assertTrue(o.table().contains("note: chameneos on weft-proc did not finish"), o.table());
    }

    @Test
    void tableShowsRatiosAgainstBothWeftStylesAndTheTargets() {
        String table = run(new ActorSuite(IMPLS, TWO_TUNED, ActorSuiteTest::computed, ONE_ROUND, ONE_ROUND)).table();

        assertTrue(table.contains("(weft-handler/pekko); 1.00x (weft-proc/pekko)"), table);
        assertTrue(table.contains("(weft-proc/erlang)"), table);
        assertTrue(table.contains("thread-ring: faster weft style >= 1.5x erlang"), table);
        assertTrue(table.contains("idle-bytes: an idle weft-handler actor <= 256 B"), table);
        assertTrue(table.contains("spawn-exit: faster weft style >= 2x10^6 actors/s"), table);
    }

    /**
     * Every workload on every real implementation, at tiny sizes: each must compute its expected
     * result (the suite fails the run on a wrong one) and be measured. Erlang is measured where
     * {@code erl} is installed and skipped, naming its package, where it is not.
     */
    @Test
    void realImplementationsComputeEveryWorkload() {
        SuiteReport report = run(new ActorSuite(IMPLS, ActorSuite.CANDIDATES, ActorSuite::standardImpl, ONE_ROUND,
                ONE_ROUND)).report();

        for (String impl : List.of("weft-proc", "weft-handler", "pekko", "pekko-tuned")) {
            for (ActorCase c : ActorCase.values()) {
                List<Result> rows = report.results().stream()
                        .filter(r -> r.caseName().equals(c.id()) && r.impl().equals(impl)).toList();
                assertTrue(rows.stream().noneMatch(Result::isSkipped) && rows.size() == c.metrics().size(),
                        c.id() + "/" + impl + ": " + rows);
            }
        }
        boolean erl = ErlangActors.onPath(System.getenv().getOrDefault("PATH", ""), "erl").isPresent();
        for (String c : List.of("ping-pong", "thread-ring")) {
            Result r = report.results().stream().filter(x -> x.caseName().equals(c) && x.impl().equals("erlang"))
                    .findFirst().orElseThrow();
            assertTrue(erl ? !r.isSkipped() : r.skipped().contains("erlang-base"), r.toString());
        }
    }

    @Test
    void unknownImplementationNameIsRefusedNamingTheKnownOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ActorSuite.standardImpl("akka", 2));

        assertTrue(e.getMessage().contains("'akka'") && e.getMessage().contains("weft-proc"), e.getMessage());
    }

    @Test
    void sizesRefuseOutOfRangeValuesNamingThem() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new ActorSizes(10, 10, 3, 5, 5, 1, 21, 4, 10, 3, 5, 10, 10, 10));

        assertTrue(e.getMessage().contains("ringActors must be >= 2, was 1"), e.getMessage());
    }
}
