package dev.weft.bench;

import java.util.List;
import java.util.Objects;

/**
 * One line of a report: a metric of one implementation on one case, measured over several rounds
 * (median, min, max), or a (case, impl) that could not run and why.
 *
 * @param caseName       the case, a stable name ({@code submit-1p})
 * @param impl           {@code weft}, or a peer's stable short name ({@code jctools})
 * @param metric         the metric ({@code throughput}, {@code p50}); null when skipped
 * @param unit           the unit ({@code ops/s}, {@code ns}); null when skipped
 * @param value          the median over the measured rounds
 * @param min            the smallest round
 * @param max            the largest round
 * @param runs           the number of measured rounds; 0 when skipped
 * @param higherIsBetter whether a larger value is better
 * @param skipped        why the (case, impl) did not run; null when measured
 */
public record Result(String caseName, String impl, String metric, String unit, double value,
                     double min, double max, int runs, boolean higherIsBetter, String skipped) {

    /** @throws IllegalArgumentException when a measured value is not finite or runs is not positive */
    public Result {
        Objects.requireNonNull(caseName, "caseName");
        Objects.requireNonNull(impl, "impl");
        if (skipped == null) {
            Objects.requireNonNull(metric, "metric");
            Objects.requireNonNull(unit, "unit");
            if (!Double.isFinite(value) || !Double.isFinite(min) || !Double.isFinite(max)) {
                throw new IllegalArgumentException(caseName + "/" + impl + "/" + metric
                        + ": values must be finite, were " + value + " [" + min + ", " + max + "]");
            }
            if (runs < 1) {
                throw new IllegalArgumentException(caseName + "/" + impl + "/" + metric
                        + ": runs must be >= 1, was " + runs);
            }
        }
    }

    /**
     * The median, min and max of a metric's rounds.
     *
     * @throws IllegalArgumentException when there are no rounds
     */
    public static Result measured(String caseName, String impl, String metric, String unit,
                                  boolean higherIsBetter, List<Double> rounds) {
        if (rounds.isEmpty()) {
            throw new IllegalArgumentException(caseName + "/" + impl + "/" + metric + ": no rounds");
        }
        double[] sorted = rounds.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        int n = sorted.length;
        double median = n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
        return new Result(caseName, impl, metric, unit, median, sorted[0], sorted[n - 1], n,
                higherIsBetter, null);
    }

    /** A (case, impl) that did not run. */
    public static Result skipped(String caseName, String impl, String reason) {
        return new Result(caseName, impl, null, null, 0, 0, 0, 0, false,
                Objects.requireNonNull(reason, "reason"));
    }

    /** Whether this (case, impl) did not run. */
    public boolean isSkipped() {
        return skipped != null;
    }

    /**
     * How many times better {@code this} (weft) is than {@code peer}: {@code this / peer} when
     * higher is better, {@code peer / this} when lower is better. Above 1 means this is better.
     */
    public double advantageOver(Result peer) {
        return higherIsBetter ? value / peer.value : peer.value / value;
    }

    /**
     * Whether the two spreads ({@code [min, max]}) overlap: then the difference of the medians is
     * within what one implementation varies by run to run, and is noise.
     */
    public boolean spreadOverlaps(Result other) {
        return min <= other.max && other.min <= max;
    }
}
