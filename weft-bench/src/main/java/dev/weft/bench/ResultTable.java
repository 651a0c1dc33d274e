package dev.weft.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * The terminal form of a report: per case and metric, weft's median and spread, then each peer's,
 * the ratio that says how many times better weft is (above 1: weft is better, whichever way the
 * metric goes), and whether the difference exceeds the spread. Skipped peers are listed with
 * their reason.
 */
public final class ResultTable {

    /** The impl name of the project itself: the row every ratio refers to. */
    public static final String WEFT = "weft";

    private ResultTable() {
    }

    /** The table of a report, every peer's ratio against {@link #WEFT}; ending with a newline. */
    public static String render(SuiteReport report) {
        return render(report, Map.of());
    }

    /**
     * The table of a report, ending with a newline. {@code references} gives, per peer, the weft
     * implementations its ratios refer to (the first decides the verdict; an empty list: no
     * ratio); a peer not in it refers to {@link #WEFT}.
     */
    public static String render(SuiteReport report, Map<String, List<String>> references) {
        Map<String, List<Result>> byCase = new LinkedHashMap<>();
        for (Result r : report.results()) {
            byCase.computeIfAbsent(r.caseName(), k -> new ArrayList<>()).add(r);
        }
        int caseWidth = Math.max(10, width(report, Result::caseName));
        int metricWidth = Math.max(11, width(report, r -> r.isSkipped() ? "" : r.metric()));
        String columns = "%-" + caseWidth + "s %-" + metricWidth + "s %-10s ";
        String format = columns + "%15s   %-23s %-24s %s%n";
        StringBuilder out = new StringBuilder();
        out.append("ratio = how many times better weft is than the peer (>1: weft better): "
                + "weft/peer for throughput, peer/weft for latency.\n");
        out.append("verdict 'noise' = the spreads [min..max] of weft and the peer overlap.\n\n");
        out.append(String.format(Locale.ROOT, format, "case", "metric", "impl", "median",
                "spread (min .. max)", "ratio", "verdict"));
        for (Map.Entry<String, List<Result>> entry : byCase.entrySet()) {
            String caseName = entry.getKey();
            List<Result> results = entry.getValue();
            List<String> metrics = results.stream().filter(r -> !r.isSkipped())
                    .map(Result::metric).distinct().toList();
            List<Result> skipped = results.stream().filter(Result::isSkipped).toList();
            String caseLabel = caseName;
            for (String metric : metrics) {
                List<Result> rows = results.stream()
                        .filter(r -> !r.isSkipped() && r.metric().equals(metric)).toList();
                String metricLabel = metric;
                for (Result r : rows) {
                    List<String> ratios = new ArrayList<>();
                    String verdict = "";
                    List<String> refs = r.impl().equals(WEFT) ? List.of()
                            : references.getOrDefault(r.impl(), List.of(WEFT));
                    for (String refName : refs) {
                        Result ref = rows.stream().filter(x -> x.impl().equals(refName)).findFirst().orElse(null);
                        if (ref == null || ref == r) {
                            continue;
                        }
                        double advantage = ref.advantageOver(r);
                        ratios.add(Double.isFinite(advantage) ? String.format(Locale.ROOT, "%.2fx (%s)", advantage,
                                r.higherIsBetter() ? refName + "/" + r.impl() : r.impl() + "/" + refName)
                                : "-"); // a median of 0: no ratio
                        if (verdict.isEmpty()) {
                            verdict = ref.spreadOverlaps(r) ? "noise"
                                    : advantage > 1 ? refName + " better" : r.impl() + " better";
                        }
                    }
                    String ratio = String.join("; ", ratios);
                    out.append(String.format(Locale.ROOT, format, caseLabel, metricLabel, r.impl(),
                            quantity(r.value(), r.unit()),
                            number(r.min(), r.unit()) + " .. " + number(r.max(), r.unit()),
                            ratio, verdict));
                    caseLabel = "";
                    metricLabel = "";
                }
            }
            for (Result r : skipped) {
                out.append(String.format(Locale.ROOT, columns + "skipped: %s%n",
                        caseLabel, "", r.impl(), r.skipped()));
                caseLabel = "";
            }
        }
        return out.toString();
    }

    /** The longest of {@code field} over the report's results. */
    private static int width(SuiteReport report, Function<Result, String> field) {
        return report.results().stream().mapToInt(r -> field.apply(r).length()).max().orElse(0);
    }

    /** A value scaled for reading, without its unit: {@code 12.35 M}, {@code 1234 ns}. */
    static String number(double value, String unit) {
        String q = quantity(value, unit);
        return unit.equals("ns") ? q : q.substring(0, q.length() - unit.length() - 1);
    }

    /**
     * A value with its unit, scaled for reading: {@code 12.35 M ops/s}, {@code 1234 ns},
     * {@code 87.0 µs}; bytes ({@code B}) unscaled: {@code 947 B}; a share of a core
     * ({@code %core}) with two decimals: {@code 0.35 %core}.
     */
    public static String quantity(double value, String unit) {
        if (unit.equals("%core")) {
            return String.format(Locale.ROOT, "%.2f %s", value, unit); // an idle server's: well under 1
        }
        if (unit.equals("ns")) {
            if (value >= 1e6) {
                return String.format(Locale.ROOT, "%.2f ms", value / 1e6);
            }
            if (value >= 1e4) {
                return String.format(Locale.ROOT, "%.1f µs", value / 1e3);
            }
            return String.format(Locale.ROOT, "%.0f ns", value);
        }
        if (unit.equals("µs") && value < 10) {
            return String.format(Locale.ROOT, "%.3f µs", value); // cpu per message: a fraction of a µs
        }
        if (unit.equals("B")) {
            return String.format(Locale.ROOT, "%.0f B", value); // bytes per entity: a few thousand at most
        }
        if (value >= 1e9) {
            return String.format(Locale.ROOT, "%.2f G %s", value / 1e9, unit);
        }
        if (value >= 1e6) {
            return String.format(Locale.ROOT, "%.2f M %s", value / 1e6, unit);
        }
        if (value >= 1e3) {
            return String.format(Locale.ROOT, "%.1f k %s", value / 1e3, unit);
        }
        return String.format(Locale.ROOT, "%.1f %s", value, unit);
    }
}
