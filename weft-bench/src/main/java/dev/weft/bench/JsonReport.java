package dev.weft.bench;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Writes reports as JSON, in the format of {@code BENCHMARKS.md}:
 * <pre>
 * {"suite": "device", "quick": true, "jdk": "25.0.1", "cpus": 2, "results": [
 *   {"case": "submit-1p", "impl": "weft", "metric": "throughput", "unit": "ops/s",
 *    "value": 1.2e7, "higherIsBetter": true, "min": ..., "max": ..., "runs": 5},
 *   {"case": "roundtrip", "impl": "disruptor", "skipped": "reason"}]}
 * </pre>
 * {@code min}, {@code max} and {@code runs} (the spread of the rounds whose median is
 * {@code value}) are extra fields next to the required ones. Numbers keep six significant digits.
 *
 * <p>A run of several suites ({@code weft bench} without SUITE) is one document whose
 * {@code "suite"} is {@code "all"}, with a {@code "suites"} list and a {@code "suite"} field on
 * every result.
 */
public final class JsonReport {

    private static final MathContext DIGITS = new MathContext(6);

    private JsonReport() {
    }

    /** The JSON document of one suite's report. */
    public static String of(SuiteReport report) {
        StringBuilder out = new StringBuilder(256 + 160 * report.results().size());
        header(out, report.suite(), report.quick(), report.jdk(), report.cpus());
        out.append(",\n  \"results\": [");
        appendResults(out, report.suite(), report.results(), false, false);
        out.append("\n  ]\n}\n");
        return out.toString();
    }

    /**
     * One JSON document holding the reports of several suites (all from this JVM run).
     *
     * @throws IllegalArgumentException when there are no reports
     */
    public static String combined(List<SuiteReport> reports) {
        if (reports.isEmpty()) {
            throw new IllegalArgumentException("no suite reports to combine");
        }
        SuiteReport first = reports.getFirst();
        StringBuilder out = new StringBuilder(1024);
        header(out, "all", reports.stream().allMatch(SuiteReport::quick), first.jdk(), first.cpus());
        out.append(",\n  \"suites\": [")
                .append(reports.stream().map(r -> string(r.suite())).collect(Collectors.joining(", ")))
                .append("],\n  \"results\": [");
        boolean any = false;
        for (SuiteReport r : reports) {
            any |= appendResults(out, r.suite(), r.results(), any, true);
        }
        out.append("\n  ]\n}\n");
        return out.toString();
    }

    private static void header(StringBuilder out, String suite, boolean quick, String jdk, int cpus) {
        out.append("{\n  \"suite\": ").append(string(suite))
                .append(",\n  \"quick\": ").append(quick)
                .append(",\n  \"jdk\": ").append(string(jdk))
                .append(",\n  \"cpus\": ").append(cpus);
    }

    /**
     * Appends results, each after a comma if {@code afterOthers} or one came before; names the
     * suite on each when {@code withSuite}. Returns whether it appended any.
     */
    private static boolean appendResults(StringBuilder out, String suite, List<Result> results,
                                         boolean afterOthers, boolean withSuite) {
        boolean comma = afterOthers;
        for (Result r : results) {
            out.append(comma ? ",\n    " : "\n    ");
            comma = true;
            out.append('{');
            if (withSuite) {
                out.append("\"suite\": ").append(string(suite)).append(", ");
            }
            out.append("\"case\": ").append(string(r.caseName()))
                    .append(", \"impl\": ").append(string(r.impl()));
            if (r.isSkipped()) {
                out.append(", \"skipped\": ").append(string(r.skipped()));
            } else {
                out.append(", \"metric\": ").append(string(r.metric()))
                        .append(", \"unit\": ").append(string(r.unit()))
                        .append(", \"value\": ").append(number(r.value()))
                        .append(", \"higherIsBetter\": ").append(r.higherIsBetter())
                        .append(", \"min\": ").append(number(r.min()))
                        .append(", \"max\": ").append(number(r.max()))
                        .append(", \"runs\": ").append(r.runs());
            }
            out.append('}');
        }
        return !results.isEmpty();
    }

    /** A JSON number with six significant digits, in plain notation. */
    static String number(double v) {
        if (!Double.isFinite(v)) {
            throw new IllegalArgumentException("JSON has no number for " + v);
        }
        if (v == 0) {
            return "0";
        }
        return new BigDecimal(v).round(DIGITS).stripTrailingZeros().toPlainString();
    }

    /** A JSON string literal: quotes, backslash and control characters escaped. */
    public static String string(String s) {
        StringBuilder out = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                default -> {
                    if (c < 0x20 || c == 0x2028 || c == 0x2029) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }
}
