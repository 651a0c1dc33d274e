package dev.weft.bench.device;

import dev.weft.bench.Result;
import dev.weft.bench.SuiteReport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(value = 30, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class DeviceSuiteTest {

    private static final DevicePlan TINY = new DevicePlan(1, 1, 3,
            DevicePlan.sizes(20_000, 20_000, 500, 200), Duration.ofSeconds(10), Duration.ofSeconds(60));

    /** A driver that measures nothing and returns the same metrics every time. */
    private static WorkloadDriver constant(double throughput, double p50) {
        return new WorkloadDriver() {
            @Override
            public void check() {
            }

            @Override
            public Map<String, Double> measure(String caseName, long size) {
                return Map.of("throughput", throughput, "p50", p50, "p99", 2 * p50);
            }

            @Override
            public void cancel() {
            }
        };
    }

    private static SuiteReport run(DeviceSuite suite, StringWriter table) {
        return suite.run(true, new PrintWriter(table), new PrintWriter(new StringWriter()));
    }

    private static List<Result> of(SuiteReport report, String impl) {
        return report.results().stream().filter(r -> r.impl().equals(impl)).toList();
    }

    @Test
    void peerThatCannotLoadIsSkippedInEveryCaseWithItsReason() {
        DeviceSuite suite = new DeviceSuite(List.of("weft", "broken"), impl -> {
            if (impl.equals("broken")) {
                throw new ClassNotFoundException("org.example.Missing");
            }
            return constant(100, 1000);
        }, TINY, TINY);

        List<Result> broken = of(run(suite, new StringWriter()), "broken");

        assertEquals(DeviceCase.values().length, broken.size(), "one skipped entry per case");
        for (Result r : broken) {
            assertTrue(r.isSkipped());
            assertTrue(r.skipped().contains("org.example.Missing"), r.skipped());
        }
    }

    @Test
    void measurementThatFailsInALaterRoundSkipsThatCaseOnly() {
        Map<String, Integer> calls = new HashMap<>();
        WorkloadDriver flaky = new WorkloadDriver() {
            @Override
            public void check() {
            }

            @Override
            public Map<String, Double> measure(String caseName, long size) {
                if (calls.merge(caseName, 1, Integer::sum) == 3 && caseName.equals("roundtrip")) {
                    throw new IllegalStateException("flaky ran 499 of 500 calls");
                }
                return Map.of("throughput", 1.0, "p50", 1.0, "p99", 1.0);
            }

            @Override
            public void cancel() {
            }
        };
        DeviceSuite suite = new DeviceSuite(List.of("weft", "flaky"),
                impl -> impl.equals("flaky") ? flaky : constant(100, 1000), TINY, TINY);

        List<Result> results = of(run(suite, new StringWriter()), "flaky");

        Result roundtrip = results.stream().filter(r -> r.caseName().equals("roundtrip")).findFirst().orElseThrow();
        assertTrue(roundtrip.isSkipped());
        assertTrue(roundtrip.skipped().contains("round 2/3") && roundtrip.skipped().contains("499 of 500"),
                roundtrip.skipped());
        assertTrue(results.stream().filter(r -> !r.caseName().equals("roundtrip")).noneMatch(Result::isSkipped));
    }

    @Test
    void everyCaseReportsItsMetricsAsMedianOfTheRounds() {
        DeviceSuite suite = new DeviceSuite(List.of("weft", "abq"),
                impl -> constant(impl.equals("weft") ? 300 : 100, 1000), TINY, TINY);

        SuiteReport report = run(suite, new StringWriter());

        assertEquals("device", report.suite());
        // submit-1p, submit-2p: throughput; roundtrip: p50, p99; burst32: p50, p99, throughput
        assertEquals(2 * 7, report.results().size());
        Result weft = report.results().stream()
                .filter(r -> r.impl().equals("weft") && r.caseName().equals("submit-2p")).findFirst().orElseThrow();
        assertEquals(300, weft.value());
        assertEquals(3, weft.runs());
    }

    @Test
    void tableShowsRatiosAndTheTargets() {
        DeviceSuite suite = new DeviceSuite(List.of("weft", "abq", "jctools"),
                impl -> constant(impl.equals("weft") ? 300 : 100, impl.equals("weft") ? 1500 : 3000),
                TINY, TINY);
        StringWriter table = new StringWriter();

        run(suite, table);

        String text = table.toString();
        assertTrue(text.contains("3.00x (weft/abq)"), text);
        assertTrue(text.contains("2.00x (abq/weft)"), text);
        assertTrue(text.contains("submit-1p throughput: weft >= 1.5x abq"), text);
        assertTrue(text.contains("roundtrip p50 (submitBlocking): weft <= 2 µs"), text);
        assertTrue(text.contains("met"), text);
    }

    @Test
    void realImplementationsRunEveryCaseAndLeaveNoThreadBehind() {
        DeviceSuite suite = new DeviceSuite(List.of("weft", "jctools", "abq"),
                DeviceSuite::isolatedDriver, TINY, TINY);

        SuiteReport report = run(suite, new StringWriter());

        List<Result> skipped = report.results().stream().filter(Result::isSkipped).toList();
        assertTrue(skipped.isEmpty(), "skipped: " + skipped);
        assertEquals(3 * 7, report.results().size());
        assertTrue(report.results().stream().allMatch(r -> r.value() > 0));
        assertFalse(Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.isAlive()
                && (t.getName().startsWith("weft-device-") || t.getName().startsWith("weft-bench-"))));
    }

    @Test
    void measurementThatOutlivesTheTimeoutIsCancelledAndSkipped() {
        DevicePlan impatient = new DevicePlan(0, 0, 1, DevicePlan.sizes(1, 1, 1, 1),
                Duration.ofMillis(200), Duration.ofSeconds(60));
        WorkloadDriver slow = new WorkloadDriver() {
            private volatile boolean cancelled;

            @Override
            public void check() {
            }

            @Override
            public Map<String, Double> measure(String caseName, long size) throws InterruptedException {
                cancelled = false;
                while (!cancelled) {
                    Thread.sleep(5);
                }
                throw new java.util.concurrent.CancellationException("cancelled");
            }

            @Override
            public void cancel() {
                cancelled = true;
            }
        };
        DeviceSuite suite = new DeviceSuite(List.of("weft", "slow"),
                impl -> impl.equals("slow") ? slow : constant(1, 1), impatient, impatient);

        List<Result> results = of(run(suite, new StringWriter()), "slow");

        assertEquals(DeviceCase.values().length, results.size());
        for (Result r : results) {
            assertTrue(r.isSkipped() && r.skipped().contains("was cancelled"), r.toString());
        }
    }

    @Test
    void missingModuleExportIsExplainedWithTheFlagToAdd() {
        String reason = DeviceSuite.describe(new IllegalAccessError("class org.agrona.UnsafeApi (in unnamed"
                + " module @0x1) cannot access class jdk.internal.misc.Unsafe (in module java.base) because"
                + " module java.base does not export jdk.internal.misc to unnamed module @0x1"));

        assertTrue(reason.contains("--add-exports java.base/jdk.internal.misc=ALL-UNNAMED"), reason);
    }
}
