package dev.weft.bench.report;

import dev.weft.bench.Result;
import dev.weft.bench.ResultTable;
import dev.weft.bench.SuiteReport;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One metric of one case of a suite, with every implementation measured for it: one table and
 * one chart of the report.
 *
 * @param suite          the suite's name
 * @param caseName       the case
 * @param metric         the metric
 * @param unit           its unit
 * @param higherIsBetter whether a larger value is better
 * @param rows           the measured results, in the report's order
 */
record CaseMetric(String suite, String caseName, String metric, String unit, boolean higherIsBetter,
                  List<Result> rows) {

    /**
     * Whether {@code impl} is one of weft's own implementations: {@code weft} or a name starting
     * with {@code weft-} ({@code weft-nio}, {@code weft-proc}); every other is a peer.
     */
    static boolean isWeft(String impl) {
        return impl.equals(ResultTable.WEFT) || impl.startsWith(ResultTable.WEFT + "-");
    }

    /** The (case, metric) pairs of a report, in the order its results list them. */
    static List<CaseMetric> of(SuiteReport report) {
        Map<List<String>, List<Result>> groups = new LinkedHashMap<>();
        for (Result r : report.results()) {
            if (!r.isSkipped()) {
                groups.computeIfAbsent(List.of(r.caseName(), r.metric()), k -> new ArrayList<>()).add(r);
            }
        }
        List<CaseMetric> out = new ArrayList<>();
        for (List<Result> rows : groups.values()) {
            Result first = rows.getFirst();
            out.add(new CaseMetric(report.suite(), first.caseName(), first.metric(), first.unit(),
                    first.higherIsBetter(), List.copyOf(rows)));
        }
        return out;
    }

    /** The cases of a report in order, each with its (case, metric) pairs. */
    static Map<String, List<CaseMetric>> byCase(SuiteReport report) {
        Map<String, List<CaseMetric>> out = new LinkedHashMap<>();
        for (Result r : report.results()) {
            out.computeIfAbsent(r.caseName(), k -> new ArrayList<>());
        }
        for (CaseMetric m : of(report)) {
            out.get(m.caseName()).add(m);
        }
        return out;
    }

    /** weft's implementations among the rows, in order. */
    List<Result> weftRows() {
        return rows.stream().filter(r -> isWeft(r.impl())).toList();
    }

    /** The peers among the rows, in order. */
    List<Result> peerRows() {
        return rows.stream().filter(r -> !isWeft(r.impl())).toList();
    }

    /**
     * The file name of this pair's chart, without directory: {@code <suite>-<case>-<metric>.png},
     * each part with characters other than letters, digits, dot, dash and underscore replaced by
     * an underscore.
     */
    String chartFileName() {
        return safe(suite) + "-" + safe(caseName) + "-" + safe(metric) + ".png";
    }

    private static String safe(String part) {
        return part.replaceAll("[^A-Za-z0-9._-]", "_");
    }
}
