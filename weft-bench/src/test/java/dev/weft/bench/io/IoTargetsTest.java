package dev.weft.bench.io;

import dev.weft.bench.Result;
import dev.weft.bench.SuiteReport;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTrue;

class IoTargetsTest {

    private static Result r(IoCase c, String impl, String metric, double v) {
        boolean higher = c.metrics().stream().filter(m -> m.name().equals(metric)).findFirst().orElseThrow()
                .higherIsBetter();
        return Result.measured(c.id(), impl, metric, "x", higher, List.of(v, v, v));
    }

    private static String line(String text, String start) {
        return text.lines().filter(l -> l.strip().startsWith(start)).findFirst()
                .orElseThrow(() -> new AssertionError("no line '" + start + "' in\n" + text));
    }

    private static String render(List<Result> results) {
        return IoTargets.render(new SuiteReport("io", true, "25", 2, results));
    }

    @Test
    void aReadCaseComparesWeftWithTheBetterFioEngine() {
        List<Result> rs = new ArrayList<>();
        rs.add(r(IoCase.RANDREAD_4K_QD32, "weft-fs", "iops", 95));
        rs.add(r(IoCase.RANDREAD_4K_QD32, "weft-ioqueue", "iops", 80));
        rs.add(r(IoCase.RANDREAD_4K_QD32, "fio-uring", "iops", 100));
        rs.add(r(IoCase.RANDREAD_4K_QD32, "fio-psync", "iops", 50));

        String text = render(rs);

        String fs = line(text, "randread-4k-qd32: weft-fs >= 0.9x better fio (fio-uring)");
        assertTrue(fs.contains("0.95x") && fs.contains("met"), fs);
        String queue = line(text, "randread-4k-qd32: weft-ioqueue >= 0.9x");
        assertTrue(queue.contains("0.80x") && queue.contains("missed"), queue);
    }

    @Test
    void randomReadsCompareWeftFsWithFileChannel() {
        String text = render(List.of(r(IoCase.RANDREAD_4K_QD32, "weft-fs", "iops", 300),
                r(IoCase.RANDREAD_4K_QD32, "filechannel", "iops", 100)));

        String l = line(text, "randread-4k-qd32: weft-fs >= 2x filechannel");
        assertTrue(l.contains("3.00x") && l.contains("met"), l);
    }

    @Test
    void busyLatencyAbove20MicrosecondsIsMissed() {
        String text = render(List.of(Result.measured("queue-latency", "weft-ioqueue", "p50", "ns", false,
                List.of(25_000.0, 25_000.0, 25_000.0))));

        assertTrue(line(text, "queue-latency: weft-ioqueue busy p50").contains("missed"), text);
        assertTrue(line(text, "queue-latency: weft-ioqueue-c busy p50").contains("n/a"), text);
    }

    @Test
    void anIdleLoopUnderTwoPercentOfACoreMeetsItsTarget() {
        String text = render(List.of(Result.measured("idle-cpu", "weft-ioqueue", "cpu", "%core", false,
                List.of(0.5, 0.6, 0.7))));

        assertTrue(line(text, "idle-cpu: weft-ioqueue idle loop < 2%").contains("met"), text);
    }

    @Test
    void aTargetWhoseSideWasNotMeasuredSaysSo() {
        String text = render(List.of(r(IoCase.SEQREAD_128K, "weft-fs", "throughput", 1e9)));

        assertTrue(line(text, "seqread-128k: weft-fs >= 0.9x better fio (-)").contains("n/a (peer not measured)"), text);
    }
}
