package dev.weft.bench.io;

import dev.weft.bench.Metric;
import dev.weft.bench.Result;
import dev.weft.bench.SuiteReport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class IoSuiteTest {

    static final IoPlan TINY = new IoPlan(1, 3, Duration.ofMillis(1), Duration.ofMillis(1), 1, 1, Duration.ofMillis(1),
            Duration.ofMillis(1), 128 * 1024, 4096);

    /** An implementation whose measurements are counted, not measured: the n-th of a case yields n. */
    static class Counted implements IoImpl {
        final String name;
        Optional<String> unavailable = Optional.empty();
        IoCase notHere;
        IoCase failing;
        boolean failOpen;
        boolean closed;
        IoFiles files;
        final Map<IoCase, Integer> calls = new HashMap<>();

        Counted(String name) {
            this.name = name;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public Optional<String> unavailableReason() {
            return unavailable;
        }

        @Override
        public Optional<String> unsupported(IoCase c) {
            return c == notHere ? Optional.of("no " + c.id() + " here") : Optional.empty();
        }

        @Override
        public String open(IoFiles files) throws IOException {
            if (failOpen) {
                throw new IOException("cannot open " + name);
            }
            this.files = files;
            return "counted";
        }

        @Override
        public Map<String, Double> measure(IoCase c, Duration length, IoPlan plan) throws IOException {
            if (!Files.exists(files.data()) || Files.size(files.data()) != plan.dataBytes()
                    || Files.size(files.write()) != plan.writeBytes()) {
                throw new IOException("the files are not there: " + files);
            }
            if (c == failing) {
                throw new IOException("a disk on fire");
            }
            int n = calls.merge(c, 1, Integer::sum);
            Map<String, Double> m = new LinkedHashMap<>();
            for (Metric metric : c.metrics()) {
                m.put(metric.name(), (double) n);
            }
            return m;
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    private record Outcome(SuiteReport report, String table) {
    }

    private static Outcome run(Path dir, List<? extends IoImpl> impls) {
        StringWriter table = new StringWriter();
        SuiteReport report = new IoSuite(progress -> List.copyOf(impls), TINY, TINY, dir)
                .run(true, new PrintWriter(table), new PrintWriter(new StringWriter()));
        return new Outcome(report, table.toString());
    }

    private static List<Counted> standardNames() {
        return IoSuite.IMPLS.stream().map(Counted::new).toList();
    }

    private static List<Result> of(SuiteReport report, IoCase c, String impl) {
        return report.results().stream().filter(r -> r.caseName().equals(c.id()) && r.impl().equals(impl)).toList();
    }

    @Test
    void everyCaseAndImplHasEachMetricOrOneSkippedEntry(@TempDir Path dir) {
        List<Counted> impls = standardNames();
        impls.get(1).notHere = IoCase.DIRECT_RANDREAD_4K_QD32;

        SuiteReport report = run(dir, impls).report();

        assertEquals("io", report.suite());
        for (IoCase c : IoCase.values()) {
            for (Counted impl : impls) {
                List<Result> rs = of(report, c, impl.name());
                if (rs.size() == 1 && rs.getFirst().isSkipped()) {
                    continue;
                }
                assertEquals(c.metrics().stream().map(Metric::name).toList(), rs.stream().map(Result::metric).toList(),
                        c.id() + "/" + impl.name());
            }
        }
        assertTrue(of(report, IoCase.DIRECT_RANDREAD_4K_QD32, "weft-ioqueue").getFirst().isSkipped());
    }

    @Test
    void figuresAreTheMedianOfTheMeasuredRoundsNotTheWarmUp(@TempDir Path dir) {
        Result r = of(run(dir, standardNames()).report(), IoCase.RANDREAD_4K_QD32, "weft-fs").getFirst();

        // warm-up yields 1, the three measured rounds 2, 3, 4
        assertEquals(3, r.runs());
        assertEquals(3.0, r.value());
        assertEquals(2.0, r.min());
        assertEquals(4.0, r.max());
    }

    @Test
    void idleCpuIsNotWarmedUp(@TempDir Path dir) {
        Result r = of(run(dir, standardNames()).report(), IoCase.IDLE_CPU, "weft-ioqueue").getFirst();

        assertEquals(List.of(1.0, 3.0), List.of(r.min(), r.max()));
    }

    @Test
    void anImplThatCannotRunHereIsSkippedInEveryCaseWithItsReason(@TempDir Path dir) {
        List<Counted> impls = standardNames();
        impls.get(3).unavailable = Optional.of("fio is not installed (Debian: apt-get install -y fio)");

        Outcome o = run(dir, impls);

        for (IoCase c : IoCase.values()) {
            List<Result> rs = of(o.report(), c, "fio-uring");
            assertEquals(1, rs.size(), c.id());
            assertEquals("fio is not installed (Debian: apt-get install -y fio)", rs.getFirst().skipped());
        }
        assertEquals(0, impls.get(3).calls.size());
        assertTrue(o.table().contains("skipped: fio is not installed"), o.table());
    }

    @Test
    void aCaseAnImplDoesNotHaveIsSkippedWithItsReasonAndNotRun(@TempDir Path dir) {
        List<Counted> impls = standardNames();
        impls.getFirst().notHere = IoCase.QUEUE_LATENCY;

        SuiteReport report = run(dir, impls).report();

        assertEquals("no queue-latency here", of(report, IoCase.QUEUE_LATENCY, "weft-fs").getFirst().skipped());
        assertFalse(impls.getFirst().calls.containsKey(IoCase.QUEUE_LATENCY));
    }

    @Test
    void aFailedMeasurementIsSkippedNamingWhereAndWhyAndTheOthersGoOn(@TempDir Path dir) {
        List<Counted> impls = standardNames();
        impls.getLast().failing = IoCase.SEQREAD_128K;

        SuiteReport report = run(dir, impls).report();

        String why = of(report, IoCase.SEQREAD_128K, "filechannel").getFirst().skipped();
        assertTrue(why.startsWith("failed in warm-up 1/1") && why.contains("a disk on fire"), why);
        assertEquals(3, of(report, IoCase.RANDREAD_4K_QD32, "filechannel").getFirst().runs());
        assertEquals(3, of(report, IoCase.SEQREAD_128K, "weft-fs").getFirst().runs());
    }

    @Test
    void anImplThatFailsToOpenIsSkippedAndClosed(@TempDir Path dir) {
        List<Counted> impls = standardNames();
        impls.get(2).failOpen = true;

        SuiteReport report = run(dir, impls).report();

        String why = of(report, IoCase.SEQREAD_128K, "weft-ioqueue-c").getFirst().skipped();
        assertTrue(why.startsWith("cannot run here") && why.contains("cannot open weft-ioqueue-c"), why);
        assertTrue(impls.get(2).closed);
    }

    @Test
    void theFilesAreDeletedAndEveryImplClosedAtTheEnd(@TempDir Path dir) throws IOException {
        List<Counted> impls = standardNames();

        run(dir, impls);

        assertTrue(impls.stream().allMatch(i -> i.closed));
        try (Stream<Path> left = Files.list(dir)) {
            assertEquals(List.of(), left.toList());
        }
    }

    @Test
    void theTableSaysHowTheDataFileWasKeptResidentAndHowMuchOfItWas(@TempDir Path dir) {
        String table = run(dir, standardNames()).table();

        assertTrue(table.contains("kept resident: "), table);
        assertTrue(table.contains("data file resident (mincore"), table);
        assertTrue(table.contains("targets (from the issue"), table);
    }

    @Test
    void theTableGivesEachPeersRatioAgainstWeftFs(@TempDir Path dir) {
        String table = run(dir, standardNames()).table();

        assertTrue(table.lines().anyMatch(l -> l.contains("fio-uring") && l.contains("(weft-fs/fio-uring)")), table);
    }

    @Test
    void everyImplGetsTheSameFiles(@TempDir Path dir) {
        List<Counted> impls = standardNames();

        run(dir, impls);

        List<IoFiles> files = new ArrayList<>();
        impls.forEach(i -> files.add(i.files));
        assertEquals(1, files.stream().distinct().count(), files.toString());
    }
}
