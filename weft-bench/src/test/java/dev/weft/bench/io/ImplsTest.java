package dev.weft.bench.io;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The in-process implementations and the C producer run every case they have on small files
 * (not the suite's 1 GiB) for a few milliseconds each, and yield each of the case's metrics.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ImplsTest {

    static final IoPlan PLAN = new IoPlan(0, 3, Duration.ofMillis(20), Duration.ofMillis(50), 200, 5,
            Duration.ofMillis(1), Duration.ofMillis(300), 4L << 20, 1L << 20);
    static final Duration LENGTH = Duration.ofMillis(50);

    @TempDir
    static Path dir;
    static ResidentFile data;
    static ResidentFile write;
    static IoFiles files;

    @BeforeAll
    static void files() throws Exception {
        data = ResidentFile.create(dir.resolve("data"), PLAN.dataBytes(), true);
        write = ResidentFile.create(dir.resolve("write"), PLAN.writeBytes(), false);
        files = new IoFiles(data.path(), data.bytes(), write.path(), write.bytes());
    }

    @AfterAll
    static void close() {
        data.close();
        write.close();
    }

    private static void runsEveryCaseItHas(IoImpl impl) throws Exception {
        assertEquals(Optional.empty(), impl.unavailableReason());
        try (impl) {
            impl.open(files);
            for (IoCase c : IoCase.values()) {
                if (impl.unsupported(c).isPresent()) {
                    continue;
                }
                Map<String, Double> m = impl.measure(c, LENGTH, PLAN);
                for (var metric : c.metrics()) {
                    Double v = m.get(metric.name());
                    assertTrue(v != null && v >= 0 && Double.isFinite(v), impl.name() + " " + c.id() + " " + m);
                }
                assertTrue(m.get(c.headline()) > 0 || c == IoCase.IDLE_CPU, impl.name() + " " + c.id() + " " + m);
            }
        }
    }

    @Test
    void weftFsRunsTheFileCases() throws Exception {
        runsEveryCaseItHas(new WeftFsImpl());
    }

    @Test
    void theJavaProducerRunsEveryCaseDirectOnesIncluded() throws Exception {
        WeftQueueImpl q = new WeftQueueImpl(false);
        assertEquals(Optional.empty(), q.unsupported(IoCase.DIRECT_RANDREAD_4K_QD32));
        runsEveryCaseItHas(q);
    }

    @Test
    void theCProducerRunsTheQueueCasesInAProcessOfItsOwn() throws Exception {
        assertTrue(Tools.onPath("gcc"), "gcc is needed to build the C producer (./test installs it)");
        runsEveryCaseItHas(new CQueueImpl(false, Optional.empty()));
    }

    @Test
    void theCProducerWithoutGccIsSkippedNamingThePackage() {
        CQueueImpl c = new CQueueImpl(false, Optional.of(Tools.missing("gcc", "gcc", false)));

        assertEquals(Optional.of("gcc is not installed (Debian: apt-get install -y gcc)"), c.unavailableReason());
    }

    @Test
    void fioRunsTheFileCasesWithBothEnginesWhereItIsInstalled() throws Exception {
        Assumptions.assumeTrue(Tools.onPath("fio"), "fio is not installed (Debian: apt-get install -y fio);"
                + " ./weft bench io installs it when run as root");
        for (FioImpl.Engine e : FioImpl.Engine.values()) {
            runsEveryCaseItHas(new FioImpl(e, Optional.empty()));
        }
    }

    @Test
    void fileChannelRunsTheFileCases() throws Exception {
        runsEveryCaseItHas(new FileChannelImpl());
    }

    @Test
    void theCProducersOutputIsReadAsCounts() {
        assertEquals(Map.of("ops", 12L, "nanos", 3400L), CQueueImpl.parse("ops=12 nanos=3400\n"));
        assertEquals(List.of("p50", "p99", "p50-idle", "p99-idle"),
                List.copyOf(CQueueImpl.parse("p50=1 p99=2 p50-idle=3 p99-idle=4").keySet()));
    }
}
