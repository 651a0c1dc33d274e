package dev.weft.bench.net;

import dev.weft.bench.JsonReport;
import dev.weft.bench.Result;
import dev.weft.bench.SuiteReport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class NetSuiteTest {

    /** No warm-up, 100 ms per measurement, one round. */
    private static final NetPlan TINY = new NetPlan(Duration.ZERO, Duration.ofMillis(100), 1,
            Duration.ZERO, Duration.ofSeconds(60));

    private static SuiteReport run(NetSuite suite, StringWriter table) {
        return suite.run(true, new PrintWriter(table), new PrintWriter(new StringWriter()));
    }

    private static List<Result> of(SuiteReport report, String impl) {
        return report.results().stream().filter(r -> r.impl().equals(impl)).toList();
    }

    private static List<Result> of(SuiteReport report, String caseName, String impl) {
        return of(report, impl).stream().filter(r -> r.caseName().equals(caseName)).toList();
    }

    /** Results of one implementation measured in every case, every metric of each. */
    private static int measuredEverywhere() {
        return Arrays.stream(NetCase.values()).mapToInt(c -> c.metrics().size()).sum();
    }

    @Test
    void planHasTheCasesAndImplementationsOfTheIssue() {
        List<NetSuite.Planned> plan = NetSuite.plan(EchoServers.IMPLS.stream().map(EchoServers::create).toList());

        assertEquals(List.of("echo-64b-100c", "echo-4k-100c", "echo-64b-100c-1w", "echo-4k-100c-1w", "idle-100c"),
                Arrays.stream(NetCase.values()).map(NetCase::id).toList());
        assertEquals(5 * 5, plan.size());
        Set<String> cells = plan.stream().map(p -> p.netCase().id() + "/" + p.impl()).collect(Collectors.toSet());
        for (NetCase c : NetCase.values()) {
            for (String impl : List.of("weft", "weft-nio", "netty-uring", "netty-epoll", "jdk-vt")) {
                assertTrue(cells.contains(c.id() + "/" + impl), c.id() + "/" + impl);
            }
        }
        for (String runsEverywhere : List.of("weft-nio", "jdk-vt")) {
            assertTrue(plan.stream().filter(p -> p.impl().equals(runsEverywhere)).allMatch(p -> p.skipped().isEmpty()),
                    runsEverywhere);
        }
    }

    @Test
    void casesGiveEveryServerTheSameWorkersAndTheIssuesLoad() {
        assertEquals(2, NetCase.ECHO_64B_100C.workers());
        assertEquals(1, NetCase.ECHO_4K_100C_1W.workers());
        assertEquals(new LoadGenerator.Load(100, 64, 16), NetCase.ECHO_64B_100C_1W.load());
        assertEquals(new LoadGenerator.Load(100, 4096, 4), NetCase.ECHO_4K_100C.load());
    }

    @Test
    void idleCaseHasTwoWorkersAndCpuMetricsAndSendsNoMessage() {
        NetCase idle = NetCase.IDLE_100C;

        assertEquals("idle-100c", idle.id());
        assertEquals(NetCase.Kind.IDLE, idle.kind());
        assertEquals(List.of(idle), NetCase.of(NetCase.Kind.IDLE));
        assertEquals(2, idle.workers());
        assertEquals(List.of("cpu", "cpu-threads"), idle.metrics().stream().map(m -> m.name()).toList());
        assertTrue(idle.metrics().stream().allMatch(m -> m.unit().equals("%core") && !m.higherIsBetter()),
                idle.metrics().toString());
        assertThrows(IllegalStateException.class, idle::load);
        for (NetCase echo : NetCase.of(NetCase.Kind.ECHO)) {
            assertEquals(List.of("throughput", "p50", "p99", "cpu-per-op"), echo.metrics().stream()
                    .map(m -> m.name()).toList());
            assertEquals("µs", echo.metrics().get(3).unit());
            assertFalse(echo.metrics().get(3).higherIsBetter());
        }
    }

    @Test
    void idleCaseIsPlannedForEveryImplementation() {
        List<NetSuite.Planned> plan = NetSuite.plan(EchoServers.IMPLS.stream().map(EchoServers::create).toList());

        assertEquals(List.of("weft", "weft-nio", "netty-uring", "netty-epoll", "jdk-vt"), plan.stream()
                .filter(p -> p.netCase() == NetCase.IDLE_100C).map(NetSuite.Planned::impl).toList());
    }

    @Test
    void plansMeasureIdleCpuOverOneSecondQuickAndThreeFullAndQuickHasThreeRounds() {
        assertEquals(Duration.ofSeconds(1), NetPlan.QUICK.idleWindow());
        assertTrue(NetPlan.QUICK.rounds() >= 3, "quick mode: at least 3 samples per figure");
        assertEquals(EchoServers.IMPLS.size(), NetPlan.FULL.rounds(), "full mode: one round per row of the square");
        assertEquals(Duration.ofMillis(500), NetPlan.FULL.idleSettle());
        assertEquals(Duration.ofSeconds(3), NetPlan.FULL.idleWindow());
        assertEquals(Duration.ofMillis(100), TINY.idleWindow(), "the short form measures idle as long as echo");
        assertThrows(IllegalArgumentException.class, () -> new NetPlan(Duration.ZERO, Duration.ofMillis(1), 1,
                Duration.ZERO, Duration.ofSeconds(1), Duration.ZERO, Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> new NetPlan(Duration.ZERO, Duration.ofMillis(1), 1,
                Duration.ZERO, Duration.ofSeconds(1), Duration.ofMillis(-1), Duration.ofMillis(1)));
    }

    @Test
    void serverThatClosesIdleConnectionsIsSkippedInTheIdleCaseWithTheReason() {
        NetPlan settleLonger = new NetPlan(Duration.ZERO, Duration.ofMillis(100), 1, Duration.ZERO,
                Duration.ofSeconds(60), Duration.ofMillis(400), Duration.ofMillis(100));
        NetSuite suite = new NetSuite(List.of("weft", "hangs-up"), ScriptedServers.class, settleLonger, settleLonger);

        SuiteReport report = run(suite, new StringWriter());

        List<Result> idle = of(report, "idle-100c", "hangs-up");
        assertEquals(1, idle.size(), idle.toString());
        assertTrue(idle.getFirst().isSkipped() && idle.getFirst().skipped().contains("while it was idle"),
                idle.toString());
        assertFalse(of(report, "idle-100c", "weft").getFirst().isSkipped(), of(report, "weft").toString());
    }

    @Test
    void realServersReportEveryCaseAndMetric() {
        StringWriter table = new StringWriter();

        SuiteReport report = run(new NetSuite(EchoServers.IMPLS, EchoServers.Registry.class, TINY, TINY), table);

        String json = JsonReport.of(report);
        assertTrue(json.contains("\"suite\": \"net\""), json);
        for (NetCase c : NetCase.values()) {
            for (var metric : c.metrics()) {
                String cell = "{\"case\": \"" + c.id() + "\", \"impl\": \"jdk-vt\", \"metric\": \""
                        + metric.name() + "\"";
                assertTrue(json.contains(cell), cell + " in\n" + json);
            }
        }
        for (String impl : List.of("weft", "weft-nio", "netty-uring", "netty-epoll")) {
            assertEquals(of(report, impl).getFirst().isSkipped() ? NetCase.values().length : measuredEverywhere(),
                    of(report, impl).size(), impl + ": measured in every case, or skipped in every case: "
                            + of(report, impl));
        }
        assertTrue(table.toString().contains("echo-64b-100c throughput: weft >= 1.2x netty-uring"), table.toString());
        assertTrue(table.toString().contains("idle-100c cpu: weft < 1% of a core"), table.toString());
    }

    @Test
    void corruptEchoFailsTheWholeRunLoudlyAfterTheTable() {
        NetSuite suite = new NetSuite(List.of("weft", "flip"), ScriptedServers.class, TINY, TINY);
        StringWriter table = new StringWriter();

        IllegalStateException e = assertThrows(IllegalStateException.class, () -> run(suite, table));

        assertTrue(e.getMessage().contains("flip") && e.getMessage().contains("corrupt echo on connection"),
                e.getMessage());
        assertTrue(table.toString().contains("CORRUPT ECHO"), table.toString());
        assertTrue(table.toString().contains("echo-64b-100c"), table.toString()); // the table came first
    }

    @Test
    void serverThatCannotBeCreatedOrStartedIsSkippedInEveryCaseWithTheReason() {
        NetSuite suite = new NetSuite(List.of("weft", "broken", "absent"), ScriptedServers.class, TINY, TINY);

        SuiteReport report = run(suite, new StringWriter());

        assertEquals(NetCase.values().length, of(report, "broken").size());
        assertTrue(of(report, "broken").stream().allMatch(r -> r.isSkipped()
                && r.skipped().contains("no such transport here")), of(report, "broken").toString());
        assertTrue(of(report, "absent").stream().allMatch(r -> r.skipped().equals("not installed")));
        assertEquals(measuredEverywhere(), of(report, "weft").size());
    }

    @Test
    void serverThatLeavesAThreadRunningAfterCloseIsReported() {
        NetSuite suite = new NetSuite(List.of("weft", "leaky"), ScriptedServers.class, TINY, TINY);

        SuiteReport report = run(suite, new StringWriter());

        assertTrue(of(report, "leaky").stream().allMatch(r -> r.isSkipped()
                && r.skipped().contains("left threads running after close(): weft-bench-echo-leaky-left-behind")),
                of(report, "leaky").toString());
    }

    @Test
    void generatorAndEveryServerRunInProcessesOfTheirOwnWithTheirFlags() {
        StringWriter table = new StringWriter();

        SuiteReport report = run(new NetSuite(List.of("weft", "flagged"), ScriptedServers.class, TINY, TINY), table);

        String text = table.toString();
        long self = ProcessHandle.current().pid();
        Matcher generator = Pattern.compile("load generator in a JVM of its own \\(pid (\\d+)\\)").matcher(text);
        assertTrue(generator.find(), text);
        long generatorPid = Long.parseLong(generator.group(1));
        Matcher weft = Pattern.compile("\nweft: pid (\\d+) flag unset").matcher(text);
        Matcher flagged = Pattern.compile("\nflagged: JVM flags " + Pattern.quote(ScriptedServers.FLAG)
                + "; pid (\\d+) flag set").matcher(text);
        assertTrue(weft.find() && flagged.find(), text);
        Set<Long> pids = Set.of(self, generatorPid, Long.parseLong(weft.group(1)), Long.parseLong(flagged.group(1)));
        assertEquals(4, pids.size(), "this JVM, the generator and each server: four processes, " + text);
        assertTrue(of(report, "echo-64b-100c", "flagged").stream().anyMatch(r -> r.metric().equals("cpu-per-op")
                && r.unit().equals("µs") && !r.higherIsBetter() && r.value() >= 0), report.results().toString());
        for (String impl : List.of("weft", "flagged")) {
            List<Result> idle = of(report, "idle-100c", impl);
            assertEquals(List.of("cpu", "cpu-threads"), idle.stream().map(Result::metric).toList(), idle.toString());
            assertTrue(idle.stream().allMatch(r -> r.unit().equals("%core") && r.value() >= 0 && r.runs() == 1),
                    idle.toString());
        }
        assertTrue(text.contains("idle-100c: 100 connections"), text);
        assertTrue(text.contains("idle-100c cpu: weft < 1% of a core"), text);
        assertTrue(text.contains("idle-100c cpu: weft-nio < 1% of a core"), text);
    }

    @Test
    void quickModeRunsThreeRoundsEvenWhenTheBudgetIsSpent() {
        NetPlan spent = new NetPlan(Duration.ZERO, Duration.ofMillis(50), 3, Duration.ZERO, Duration.ofMillis(1),
                Duration.ZERO, Duration.ofMillis(50));

        SuiteReport report = run(new NetSuite(List.of("weft"), ScriptedServers.class, spent, spent),
                new StringWriter());

        assertTrue(report.results().stream().noneMatch(Result::isSkipped), report.results().toString());
        assertTrue(report.results().stream().allMatch(r -> r.runs() == NetPlan.MIN_ROUNDS), report.results().toString());
        Result p99 = report.results().stream().filter(r -> r.caseName().equals("echo-4k-100c")
                && r.metric().equals("p99")).findFirst().orElseThrow();
        assertEquals("ns", p99.unit());
        assertTrue(p99.min() <= p99.value() && p99.value() <= p99.max(), p99.toString());
    }

    @Test
    void everyImplementationStandsAtEveryPositionOnceInEveryCaseOverAsManyRounds() {
        List<String> impls = EchoServers.IMPLS;
        for (int c = 0; c < NetCase.values().length; c++) {
            for (int position = 0; position < impls.size(); position++) {
                Set<String> seen = new java.util.HashSet<>();
                for (int round = 0; round < impls.size(); round++) {
                    List<String> order = NetSuite.order(impls, round, c);
                    assertEquals(Set.copyOf(impls), Set.copyOf(order), "a row orders every implementation");
                    seen.add(order.get(position));
                }
                assertEquals(Set.copyOf(impls), seen, "case " + c + ", position " + position);
            }
        }
        assertFalse(NetSuite.order(impls, 0, 0).equals(NetSuite.order(impls, 1, 0)));
    }
}
