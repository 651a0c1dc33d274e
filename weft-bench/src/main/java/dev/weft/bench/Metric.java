package dev.weft.bench;

import java.util.Objects;

/**
 * A metric of a case: what one measurement yields, named as it appears in tables and JSON.
 *
 * @param name           the stable name in tables and JSON ({@code throughput}, {@code p99})
 * @param unit           its unit ({@code ops/s}, {@code ns})
 * @param higherIsBetter whether a larger value is better
 */
public record Metric(String name, String unit, boolean higherIsBetter) {

    /** @throws NullPointerException when the name or the unit is null */
    public Metric {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(unit, "unit");
    }
}
