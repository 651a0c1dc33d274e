package dev.weft.bench.device;

import dev.weft.bench.Result;
import dev.weft.bench.ResultTable;
import dev.weft.bench.SuiteReport;
import dev.weft.bench.TargetLines;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The targets the device issue states, checked against a report: one line per target with its
 * measured ratio or value and met/missed. The targets are reported, never tuned for.
 * <ul>
 *   <li>throughput (every case that has it): weft at least 1.5 times {@code abq};</li>
 *   <li>throughput: weft at least 1.0 times the best of {@code disruptor}, {@code jctools} and
 *       {@code agrona};</li>
 *   <li>{@code roundtrip} p50 (a {@code submitBlocking} call): at most 2 µs.</li>
 * </ul>
 */
public final class DeviceTargets {

    static final double ABQ_FACTOR = 1.5;
    static final double BEST_PEER_FACTOR = 1.0;
    static final double ROUNDTRIP_P50_NANOS = 2_000;
    static final List<String> FAST_PEERS = List.of("disruptor", "jctools", "agrona");

    private DeviceTargets() {
    }

    /** The target lines, ending with a newline. */
    public static String render(SuiteReport report) {
        TargetLines targets = new TargetLines(report);
        List<String> throughputCases = report.results().stream()
                .filter(r -> !r.isSkipped() && r.metric().equals("throughput"))
                .map(Result::caseName).distinct().toList();
        for (String c : throughputCases) {
            Optional<Result> weft = targets.find(c, ResultTable.WEFT, "throughput");
            targets.ratio(c + " throughput: weft >= 1.5x abq", weft,
                    targets.find(c, "abq", "throughput"), ABQ_FACTOR);
            Optional<Result> best = FAST_PEERS.stream()
                    .map(p -> targets.find(c, p, "throughput"))
                    .flatMap(Optional::stream)
                    .max(Comparator.comparingDouble(Result::value));
            targets.ratio(c + " throughput: weft >= 1.0x best of disruptor/jctools/agrona"
                    + best.map(b -> " (" + b.impl() + ")").orElse(""), weft, best, BEST_PEER_FACTOR);
        }
        targets.atMost("roundtrip p50 (submitBlocking): weft <= 2 µs",
                targets.find("roundtrip", ResultTable.WEFT, "p50"), ROUNDTRIP_P50_NANOS);
        return targets.render();
    }
}
