package dev.weft.bench.device;

import dev.weft.bench.Result;
import dev.weft.bench.ResultTable;
import dev.weft.bench.SuiteReport;

import java.util.Comparator;
import java.util.List;
import java.util.Locale;
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
        StringBuilder out = new StringBuilder("targets (from the issue; reported, not tuned for):\n");
        List<String> throughputCases = report.results().stream()
                .filter(r -> !r.isSkipped() && r.metric().equals("throughput"))
                .map(Result::caseName).distinct().toList();
        for (String c : throughputCases) {
            Optional<Result> weft = find(report, c, ResultTable.WEFT, "throughput");
            Optional<Result> abq = find(report, c, "abq", "throughput");
            line(out, c + " throughput: weft >= 1.5x abq", weft, abq, ABQ_FACTOR);
            Optional<Result> best = FAST_PEERS.stream()
                    .map(p -> find(report, c, p, "throughput"))
                    .flatMap(Optional::stream)
                    .max(Comparator.comparingDouble(Result::value));
            line(out, c + " throughput: weft >= 1.0x best of disruptor/jctools/agrona"
                    + best.map(b -> " (" + b.impl() + ")").orElse(""), weft, best, BEST_PEER_FACTOR);
        }
        Optional<Result> p50 = find(report, "roundtrip", ResultTable.WEFT, "p50");
        String label = "roundtrip p50 (submitBlocking): weft <= 2 µs";
        if (p50.isEmpty()) {
            out.append(String.format(Locale.ROOT, "  %-72s n/a (weft not measured)%n", label));
        } else {
            double v = p50.get().value();
            out.append(String.format(Locale.ROOT, "  %-72s %-9s %s%n", label,
                    ResultTable.quantity(v, "ns"), v <= ROUNDTRIP_P50_NANOS ? "met" : "missed"));
        }
        return out.toString();
    }

    private static void line(StringBuilder out, String label, Optional<Result> weft,
                             Optional<Result> peer, double factor) {
        if (weft.isEmpty() || peer.isEmpty()) {
            out.append(String.format(Locale.ROOT, "  %-72s n/a (%s not measured)%n", label,
                    weft.isEmpty() ? "weft" : "peer"));
            return;
        }
        double ratio = weft.get().advantageOver(peer.get());
        String verdict = ratio >= factor ? "met" : "missed";
        String noise = weft.get().spreadOverlaps(peer.get()) ? " (spreads overlap: noise)" : "";
        out.append(String.format(Locale.ROOT, "  %-72s %-9s %s%s%n", label,
                String.format(Locale.ROOT, "%.2fx", ratio), verdict, noise));
    }

    private static Optional<Result> find(SuiteReport report, String caseName, String impl,
                                         String metric) {
        return report.results().stream()
                .filter(r -> !r.isSkipped() && r.caseName().equals(caseName)
                        && r.impl().equals(impl) && r.metric().equals(metric))
                .findFirst();
    }
}
