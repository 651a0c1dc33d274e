package dev.weft.bench.io;

import dev.weft.bench.Metric;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class IoCaseTest {

    @Test
    void casesHaveTheIssuesNamesInTableOrder() {
        assertEquals(List.of("seqread-128k", "randread-4k-qd32", "randwrite-4k-direct", "direct-randread-4k-qd32",
                "queue-latency", "idle-cpu"), Arrays.stream(IoCase.values()).map(IoCase::id).toList());
    }

    @Test
    void implsHaveTheIssuesNames() {
        assertEquals(List.of("weft-fs", "weft-ioqueue", "weft-ioqueue-c", "fio-uring", "fio-psync", "filechannel"),
                IoSuite.IMPLS);
    }

    @Test
    void theSequentialCaseMeasuresBytesPerSecondAndTheRandomOnesTransfersPerSecond() {
        assertEquals(List.of(new Metric("throughput", "B/s", true), new Metric("cpu-per-op", "µs", false)),
                IoCase.SEQREAD_128K.metrics());
        for (IoCase c : List.of(IoCase.RANDREAD_4K_QD32, IoCase.RANDWRITE_4K_DIRECT, IoCase.DIRECT_RANDREAD_4K_QD32)) {
            assertEquals(List.of(new Metric("iops", "ops/s", true), new Metric("cpu-per-op", "µs", false)), c.metrics(),
                    c.id());
        }
    }

    @Test
    void queueLatencyHasBusyAndIdlePercentilesInNanoseconds() {
        assertEquals(List.of(new Metric("p50", "ns", false), new Metric("p99", "ns", false),
                new Metric("p50-idle", "ns", false), new Metric("p99-idle", "ns", false)), IoCase.QUEUE_LATENCY.metrics());
    }

    @Test
    void idleCpuIsAShareOfACoreWhereLowerIsBetter() {
        assertEquals(List.of(new Metric("cpu", "%core", false)), IoCase.IDLE_CPU.metrics());
    }

    @Test
    void workloadsAreTheIssues() {
        assertEquals(128 * 1024, IoCase.SEQREAD_128K.blockBytes());
        assertEquals(32, IoCase.RANDREAD_4K_QD32.depth());
        assertTrue(IoCase.RANDWRITE_4K_DIRECT.write() && IoCase.RANDWRITE_4K_DIRECT.direct());
        assertTrue(IoCase.DIRECT_RANDREAD_4K_QD32.direct() && !IoCase.DIRECT_RANDREAD_4K_QD32.write());
        assertEquals(4096, IoCase.DIRECT_RANDREAD_4K_QD32.blockBytes());
    }

    @Test
    void ratesOfTheSequentialCaseAreBytesAndCpuPerTransfer() {
        Map<String, Double> m = IoCase.SEQREAD_128K.rates(1_000, 1_000_000_000L, 2_000_000L);

        assertEquals(1_000.0 * 128 * 1024, m.get("throughput"), 1e-6);
        assertEquals(2.0, m.get("cpu-per-op"), 1e-9);
    }

    @Test
    void ratesOfARandomCaseAreTransfersPerSecond() {
        Map<String, Double> m = IoCase.RANDREAD_4K_QD32.rates(500, 250_000_000L, -1);

        assertEquals(2_000.0, m.get("iops"), 1e-9);
        assertTrue(!m.containsKey("cpu-per-op"), "no CPU figure when the CPU is not known: " + m);
    }

    @Test
    void ratesRejectAMeasurementOfNoTransfer() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> IoCase.RANDREAD_4K_QD32.rates(0, 1_000, 0));
        assertTrue(e.getMessage().contains("0 ops"), e.getMessage());
    }

    @Test
    void offsetsAreBlockAlignedInsideTheFileAndSequentialOnesWrap() {
        IoFiles.Offsets random = new IoFiles.Offsets(256, 4096, true, 7);
        for (int i = 0; i < 10_000; i++) {
            long at = random.next();
            assertTrue(at >= 0 && at < 256 * 4096L && at % 4096 == 0, "offset " + at);
        }
        IoFiles.Offsets seq = new IoFiles.Offsets(3, 131072, false, 0);
        assertEquals(List.of(0L, 131072L, 262144L, 0L), List.of(seq.next(), seq.next(), seq.next(), seq.next()));
    }
}
