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
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(value = 30, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
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

    @Test
    void planHasTheCasesAndImplementationsOfTheIssue() {
        List<NetSuite.Planned> plan = NetSuite.plan(EchoServers.IMPLS.stream().map(EchoServers::create).toList());

        assertEquals(List.of("echo-64b-100c", "echo-4k-100c", "echo-64b-100c-1w", "echo-4k-100c-1w"),
                Arrays.stream(NetCase.values()).map(NetCase::id).toList());
        assertEquals(4 * 5, plan.size());
        Set<String> cells = plan.stream().map(p -> p.netCase().id() + "/" + p.impl()).collect(Collectors.toSet());
        for (NetCase c : NetCase.values()) {
            for (String impl : List.of("weft", "weft-nio", "netty-uring", "netty-epoll", "jdk-vt")) {
                assertTrue(cells.contains(c.id() + "/" + impl), c.id() + "/" + impl);
            }
        }
        assertTrue(plan.stream().filter(p -> p.impl().startsWith("weft"))
                .allMatch(p -> p.skipped().orElse("").equals("weft's net package is not built yet")));
        assertTrue(plan.stream().filter(p -> p.impl().equals("jdk-vt")).allMatch(p -> p.skipped().isEmpty()));
    }

    @Test
    void casesGiveEveryServerTheSameWorkersAndTheIssuesLoad() {
        assertEquals(2, NetCase.ECHO_64B_100C.workers());
        assertEquals(1, NetCase.ECHO_4K_100C_1W.workers());
        assertEquals(new LoadGenerator.Load(100, 64, 16), NetCase.ECHO_64B_100C_1W.load());
        assertEquals(new LoadGenerator.Load(100, 4096, 4), NetCase.ECHO_4K_100C.load());
    }

    @Test
    void realServersReportEveryCaseAndMetricAndWeftIsSkippedWithItsReason() {
        StringWriter table = new StringWriter();

        SuiteReport report = run(new NetSuite(EchoServers.IMPLS, EchoServers::create, TINY, TINY), table);

        String json = JsonReport.of(report);
        assertTrue(json.contains("\"suite\": \"net\""), json);
        for (NetCase c : NetCase.values()) {
            for (String metric : List.of("throughput", "p50", "p99")) {
                String cell = "{\"case\": \"" + c.id() + "\", \"impl\": \"jdk-vt\", \"metric\": \"" + metric + "\"";
                assertTrue(json.contains(cell), cell + " in\n" + json);
            }
            for (String weft : List.of("weft", "weft-nio")) {
                String cell = "{\"case\": \"" + c.id() + "\", \"impl\": \"" + weft
                        + "\", \"skipped\": \"weft's net package is not built yet\"}";
                assertTrue(json.contains(cell), cell + " in\n" + json);
            }
        }
        for (String netty : List.of("netty-uring", "netty-epoll")) {
            assertEquals(NetCase.values().length * (of(report, netty).getFirst().isSkipped() ? 1 : 3),
                    of(report, netty).size(), netty + ": measured in every case, or skipped in every case");
        }
        assertTrue(table.toString().contains("echo-64b-100c throughput: weft >= 1.2x netty-uring"), table.toString());
    }

    @Test
    void implementationsAlternateAndRoundsGiveMedianAndSpread() {
        NetPlan twoRounds = new NetPlan(Duration.ZERO, Duration.ofMillis(50), 2, Duration.ZERO, Duration.ofSeconds(60));

        SuiteReport report = run(new NetSuite(List.of("weft", "plain"), ScriptedEcho::plain, twoRounds, twoRounds),
                new StringWriter());

        Result weft = report.results().stream().filter(r -> r.impl().equals("weft")
                && r.caseName().equals("echo-4k-100c") && r.metric().equals("p99")).findFirst().orElseThrow();
        assertEquals(2, weft.runs());
        assertEquals("ns", weft.unit());
        assertTrue(report.results().stream().noneMatch(Result::isSkipped), report.results().toString());
    }

    @Test
    void corruptEchoFailsTheWholeRunLoudlyAfterTheTable() {
        NetSuite suite = new NetSuite(List.of("weft", "flip"), impl -> impl.equals("flip")
                ? ScriptedEcho.corrupting(impl, 100) : ScriptedEcho.plain(impl), TINY, TINY);
        StringWriter table = new StringWriter();

        IllegalStateException e = assertThrows(IllegalStateException.class, () -> run(suite, table));

        assertTrue(e.getMessage().contains("flip") && e.getMessage().contains("corrupt echo on connection"),
                e.getMessage());
        assertTrue(table.toString().contains("CORRUPT ECHO"), table.toString());
        assertTrue(table.toString().contains("echo-64b-100c"), table.toString()); // the table came first
    }

    @Test
    void serverThatCannotBeCreatedOrStartedIsSkippedInEveryCaseWithTheReason() {
        NetSuite suite = new NetSuite(List.of("weft", "broken", "absent"), impl -> switch (impl) {
            case "broken" -> throw new IllegalStateException("no such transport here");
            case "absent" -> EchoServers.unavailable("absent", "not installed");
            default -> ScriptedEcho.plain(impl);
        }, TINY, TINY);

        SuiteReport report = run(suite, new StringWriter());

        assertEquals(NetCase.values().length, of(report, "broken").size());
        assertTrue(of(report, "broken").stream().allMatch(r -> r.isSkipped()
                && r.skipped().contains("no such transport here")), of(report, "broken").toString());
        assertTrue(of(report, "absent").stream().allMatch(r -> r.skipped().equals("not installed")));
        assertEquals(NetCase.values().length * 3, of(report, "weft").size());
    }

    @Test
    void serverThatLeavesAThreadRunningAfterCloseIsReported() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        try {
            NetSuite suite = new NetSuite(List.of("weft", "leaky"), impl -> !impl.equals("leaky")
                    ? ScriptedEcho.plain(impl) : new ScriptedEcho(impl, () -> (echoed, available) -> available) {
                        @Override
                        public synchronized void close() {
                            super.close();
                            Thread.ofPlatform().name(THREAD_PREFIX + "leaky-left-behind").daemon().start(() -> {
                                try {
                                    release.await();
                                } catch (InterruptedException e) {
                                    // ends
                                }
                            });
                        }
                    }, TINY, TINY);

            SuiteReport report = run(suite, new StringWriter());

            assertTrue(of(report, "leaky").stream().allMatch(r -> r.isSkipped()
                    && r.skipped().contains("left threads running after close(): weft-bench-echo-leaky-left-behind")),
                    of(report, "leaky").toString());
        } finally {
            release.countDown();
        }
    }
}
