package dev.weft.bench.http;

import java.time.Duration;
import java.util.Objects;

/**
 * How much the http suite measures. Before the first round, wrk runs for {@code warmup} per case
 * against every server (not reported). A measurement is one wrk run of {@code measure}; a round
 * measures every case on every implementation. No round starts once the time spent plus one more
 * round (as long as the longest so far) would exceed {@code budget}; at least
 * {@link #MIN_ROUNDS} run (or {@code rounds}, if fewer).
 *
 * @param warmup  each case's warm-up per implementation, {@code >= 0}
 * @param measure one measurement, positive
 * @param rounds  measured rounds, {@code >= 1}
 * @param budget  the time the suite should not exceed
 * @param workers every server's worker count, {@code >= 1}
 */
public record HttpPlan(Duration warmup, Duration measure, int rounds, Duration budget, int workers) {

    /** The fewest rounds a run has whatever its budget: every figure is a median of at least 3 samples. */
    public static final int MIN_ROUNDS = 3;

    /**
     * Under 90 s on a 2-core machine: about 10 s to start and check the five servers, 5 x 6 x
     * 0.2 s of warm-up, then 3 rounds of 30 measurements of 0.3 s, each about 0.25 s longer for
     * wrk's start and its stop, which comes within 0.1 s of its SIGINT.
     */
    public static final HttpPlan QUICK = new HttpPlan(Duration.ofMillis(200), Duration.ofMillis(300), MIN_ROUNDS,
            Duration.ofSeconds(80), 1);

    /** About ten minutes: 5 rounds, one per row of the Latin square over the five implementations. */
    public static final HttpPlan FULL = new HttpPlan(Duration.ofSeconds(2), Duration.ofSeconds(3), 5,
            Duration.ofMinutes(15), 1);

    /** @throws IllegalArgumentException naming the value that is out of range */
    public HttpPlan {
        Objects.requireNonNull(warmup, "warmup");
        Objects.requireNonNull(measure, "measure");
        Objects.requireNonNull(budget, "budget");
        if (warmup.isNegative()) {
            throw new IllegalArgumentException("warmup must be >= 0, was " + warmup);
        }
        if (!measure.isPositive()) {
            throw new IllegalArgumentException("measure must be positive, was " + measure);
        }
        if (rounds < 1) {
            throw new IllegalArgumentException("rounds must be >= 1, was " + rounds);
        }
        if (workers < 1) {
            throw new IllegalArgumentException("workers must be >= 1, was " + workers);
        }
    }
}
