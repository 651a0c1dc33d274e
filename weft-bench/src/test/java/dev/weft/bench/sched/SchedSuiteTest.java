package dev.weft.bench.sched;

import dev.weft.bench.JsonReport;
import dev.weft.bench.Result;
import dev.weft.bench.SuiteReport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class SchedSuiteTest {

    private static final SchedPlan TINY = new SchedPlan(0, 1, 1, 1, SchedImplTest.TINY,
            Duration.ofSeconds(10), Duration.ofSeconds(60), Duration.ZERO);
    private static final SchedPlan TWO_ROUNDS = new SchedPlan(1, 2, 1, 1, SchedImplTest.TINY,
            Duration.ofSeconds(10), Duration.ofSeconds(60), Duration.ZERO);

    /**
     * An implementation that computes every expected value without a scheduler, instantly: the
     * suite's bookkeeping under test, not a scheduler.
     */
    static class Computed implements SchedImpl {
        final String name;
        volatile boolean abandoned;

        Computed(String name) {
            this.name = name;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public long skynet(int leaves, int fanOut) {
            return (long) leaves * (leaves - 1) / 2;
        }

        @Override
        public long chainedSpawn(int links) {
            return (long) links * (links + 1) / 2;
        }

        @Override
        public long spawnStorm(int tasks) {
            return (long) tasks * (tasks + 1) / 2;
        }

        @Override
        public long yieldMany(int tasks, int yields) {
            return (long) tasks * yields;
        }

        @Override
        public long pingPong(int roundTrips) throws Exception {
            return 2L * roundTrips;
        }

        @Override
        public long fanOut(int tasks, int work) {
            return FanOutWork.expected(tasks, work);
        }

        @Override
        public long sleepLateness(int sleepers, int sleepsEach, long seed, TimerLateness lateness)
                throws InterruptedException {
            long sleeps = 0;
            for (int i = 0; i < sleepers; i++) {
                sleeps += lateness.sleeper(seed + i, sleepsEach, nanos -> { });
            }
            return sleeps;
        }

        @Override
        public HeldTasks hold(int tasks, Hold how) {
            return new HeldTasks() {
                @Override
                public void start(Duration timeout) {
                }

                @Override
                public long release() {
                    return tasks;
                }
            };
        }

        @Override
        public void abandon() {
            abandoned = true;
        }

        @Override
        public void close() {
        }
    }

    private static String run(SchedSuite suite) {
        StringWriter table = new StringWriter();
        suite.run(true, new PrintWriter(table), new PrintWriter(new StringWriter()));
        return table.toString();
    }

    private static SuiteReport report(SchedSuite suite) {
        return suite.run(true, new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()));
    }

    @Test
    void realImplementationsReportEveryCaseUnderTheNamesOfTheIssue() {
        SuiteReport report = report(new SchedSuite(SchedSuite.IMPLS, SchedSuite::standardImpl, TINY, TINY));

        String json = JsonReport.of(report);
        assertTrue(json.contains("\"suite\": \"sched\""), json);
        for (SchedCase c : SchedCase.values()) {
            for (String impl : List.of("weft", "jdk-vt")) {
                assertTrue(json.contains("{\"case\": \"" + c.id() + "\", \"impl\": \"" + impl + "\", \"metric\""),
                        c.id() + "/" + impl + " in\n" + json);
            }
        }
        for (String c : List.of("skynet", "chained-spawn", "spawn-storm", "yield-many", "ping-pong", "fan-out")) {
            assertTrue(json.contains("{\"case\": \"" + c + "\", \"impl\": \"fjp\", \"metric\": \"throughput\""), c);
        }
        for (String c : List.of("timer", "parked", "timers-memory")) {
            assertTrue(json.contains("{\"case\": \"" + c + "\", \"impl\": \"fjp\", \"skipped\": \"a ForkJoinPool task"
                    + " cannot"), c + " in\n" + json);
        }
    }

    @Test
    void throughputCasesReportTimeAndThroughputAsMedianOfTheMeasuredRounds() {
        SuiteReport report = report(new SchedSuite(List.of("weft", "jdk-vt"), (n, p) -> new Computed(n),
                TWO_ROUNDS, TWO_ROUNDS));

        Result skynet = report.results().stream().filter(r -> r.caseName().equals("skynet")
                && r.impl().equals("weft") && r.metric().equals("throughput")).findFirst().orElseThrow();
        assertEquals(2, skynet.runs());
        assertEquals("tasks/s", skynet.unit());
        assertTrue(report.results().stream().anyMatch(r -> r.caseName().equals("skynet")
                && r.metric().equals("time") && r.unit().equals("ns") && !r.higherIsBetter()));
        assertTrue(report.results().stream().noneMatch(Result::isSkipped), report.results().toString());
    }

    @Test
    void wrongResultFailsTheRunLoudly() {
        SchedSuite suite = new SchedSuite(List.of("weft", "lossy"), (n, p) -> n.equals("weft") ? new Computed(n)
                : new Computed(n) {
                    @Override
                    public long spawnStorm(int tasks) {
                        return super.spawnStorm(tasks) - 1; // one task lost
                    }
                }, TINY, TINY);
        StringWriter table = new StringWriter();

        IllegalStateException e = assertThrows(IllegalStateException.class, () ->
                suite.run(true, new PrintWriter(table), new PrintWriter(new StringWriter())));

        assertTrue(e.getMessage().contains("spawn-storm/lossy") && e.getMessage().contains("expected"),
                e.getMessage());
        assertTrue(table.toString().contains("WRONG RESULTS"), table.toString());
        assertTrue(table.toString().contains("WRONG RESULT in round 1/1"), table.toString());
    }

    @Test
    void measurementThatOutlivesTheTimeoutIsAbandonedAndReportedWhileTheRestGoesOn() {
        SchedPlan impatient = new SchedPlan(0, 1, 1, 1, SchedImplTest.TINY, Duration.ofMillis(300),
                Duration.ofSeconds(60), Duration.ZERO);
        CountDownLatch never = new CountDownLatch(1);
        Computed stuck = new Computed("stuck") {
            @Override
            public long pingPong(int roundTrips) throws Exception {
                never.await(); // until the driver is interrupted
                return 0;
            }
        };
        SchedSuite suite = new SchedSuite(List.of("weft", "stuck"), (n, p) -> n.equals("stuck") ? stuck
                : new Computed(n), impatient, impatient);
        StringWriter table = new StringWriter();

        SuiteReport report = suite.run(true, new PrintWriter(table), new PrintWriter(new StringWriter()));

        Result pingPong = report.results().stream().filter(r -> r.caseName().equals("ping-pong")
                && r.impl().equals("stuck")).findFirst().orElseThrow();
        assertTrue(pingPong.isSkipped() && pingPong.skipped().contains("did not finish within 0.3 s"),
                pingPong.toString());
        assertTrue(stuck.abandoned);
        assertTrue(report.results().stream().filter(r -> r.impl().equals("stuck") && !r.caseName().equals("ping-pong"))
                .noneMatch(Result::isSkipped));
        assertTrue(table.toString().contains("note: ping-pong on stuck did not finish"), table.toString());
    }

    @Test
    void implementationThatCannotStartIsSkippedInEveryCaseWithItsReason() {
        SchedSuite suite = new SchedSuite(List.of("weft", "broken"), (n, p) -> {
            if (n.equals("broken")) {
                throw new IllegalStateException("no carrier threads here");
            }
            return new Computed(n);
        }, TINY, TINY);

        List<Result> broken = report(suite).results().stream().filter(r -> r.impl().equals("broken")).toList();

        assertEquals(SchedCase.values().length, broken.size());
        assertTrue(broken.stream().allMatch(r -> r.isSkipped() && r.skipped().contains("no carrier threads here")));
    }

    @Test
    void tableShowsRatiosTheGarbageCollectorAndTheTargets() {
        String text = run(new SchedSuite(List.of("weft", "jdk-vt"), (n, p) -> new Computed(n), TINY, TINY));

        assertTrue(text.contains("(weft/jdk-vt)"), text);
        assertTrue(text.contains("garbage collection per measurement"), text);
        assertTrue(text.contains("skynet throughput: weft >= 1.5x jdk-vt"), text);
        assertTrue(text.contains("timer p99 lateness at low load: weft <= 1 ms"), text);
    }
}
