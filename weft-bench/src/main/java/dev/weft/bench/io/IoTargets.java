package dev.weft.bench.io;

import dev.weft.bench.Result;
import dev.weft.bench.SuiteReport;
import dev.weft.bench.TargetLines;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The targets the issue states for the io suite, checked against a report. Reported, never tuned for.
 * <ul>
 *   <li>every read case: weft at least 0.9 times the better fio engine (the better of
 *       {@code fio-uring} and {@code fio-psync} by median), through the file API
 *       ({@code weft-fs}) and through the request queue ({@code weft-ioqueue},
 *       {@code weft-ioqueue-c}), one line each where the case ran;</li>
 *   <li>randread-4k-qd32: {@code weft-fs} at least 2 times {@code filechannel};</li>
 *   <li>queue-latency: publish-to-complete p50 at most 20 µs when busy (the Java and the C producer);</li>
 *   <li>idle-cpu: an idle loop under 2% of a core.</li>
 * </ul>
 */
public final class IoTargets {

    static final double FIO_FACTOR = 0.9;
    static final double FILECHANNEL_FACTOR = 2.0;
    static final double BUSY_P50_NS = 20_000;
    static final double IDLE_PERCENT = 2.0;

    static final List<String> FIO = List.of(FioImpl.Engine.URING.impl, FioImpl.Engine.PSYNC.impl);
    static final List<String> WEFT = List.of(WeftFsImpl.NAME, WeftQueueImpl.NAME, CQueueImpl.NAME);

    private IoTargets() {
    }

    /** The target lines, ending with a newline. */
    public static String render(SuiteReport report) {
        TargetLines t = new TargetLines(report);
        for (IoCase c : IoCase.fileCases()) {
            if (c.write()) {
                continue;
            }
            Optional<Result> fio = best(t, c, FIO);
            for (String weft : WEFT) {
                Optional<Result> w = t.find(c.id(), weft, c.headline());
                if (w.isEmpty() && !weft.equals(WeftFsImpl.NAME)) {
                    continue; // the queue does not run the direct cases: said in the table
                }
                t.ratio(c.id() + ": " + weft + " >= 0.9x better fio (" + fio.map(Result::impl).orElse("-") + ")", w, fio,
                        FIO_FACTOR);
            }
        }
        IoCase rr = IoCase.RANDREAD_4K_QD32;
        t.ratio(rr.id() + ": weft-fs >= 2x filechannel (32 threads)", t.find(rr.id(), WeftFsImpl.NAME, rr.headline()),
                t.find(rr.id(), FileChannelImpl.NAME, rr.headline()), FILECHANNEL_FACTOR);
        IoCase lat = IoCase.QUEUE_LATENCY;
        t.atMost(lat.id() + ": weft-ioqueue busy p50 <= 20 µs", t.find(lat.id(), WeftQueueImpl.NAME, IoCase.P50),
                BUSY_P50_NS);
        t.atMost(lat.id() + ": weft-ioqueue-c busy p50 <= 20 µs", t.find(lat.id(), CQueueImpl.NAME, IoCase.P50),
                BUSY_P50_NS);
        t.below(IoCase.IDLE_CPU.id() + ": weft-ioqueue idle loop < 2% of a core",
                t.find(IoCase.IDLE_CPU.id(), WeftQueueImpl.NAME, IoCase.CPU), IDLE_PERCENT);
        return t.render();
    }

    /** The best median of case {@code c}'s headline among {@code impls}, if any was measured. */
    private static Optional<Result> best(TargetLines t, IoCase c, List<String> impls) {
        return impls.stream().map(i -> t.find(c.id(), i, c.headline())).flatMap(Optional::stream)
                .max(Comparator.comparingDouble(Result::value));
    }
}
