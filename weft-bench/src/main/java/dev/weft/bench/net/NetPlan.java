package dev.weft.bench.net;

import java.time.Duration;
import java.util.Objects;

/**
 * How much the net suite measures. A measurement starts a fresh server for one (case, impl),
 * drives it for {@code warmup} uncounted and {@code measure} counted, and closes it. A round
 * measures every case on every implementation. Before the first round the load generator itself
 * is warmed for {@code generatorWarmup} per message size against the first implementation that
 * runs (not reported). No measured round starts once the time spent plus one more round (as long
 * as the longest so far) would exceed {@code budget}; at least one runs.
 *
 * @param warmup          the uncounted start of each measurement, {@code >= 0}
 * @param measure         the counted part of each measurement, positive
 * @param rounds          measured rounds, {@code >= 1}; the report gives their median and spread
 * @param generatorWarmup how long the load generator warms per message size, {@code >= 0}
 * @param budget          the time the suite should not exceed
 */
public record NetPlan(Duration warmup, Duration measure, int rounds, Duration generatorWarmup, Duration budget) {

    /**
     * Under 90 s on a 2-core machine: a measurement takes about 2.1 s, so one round of 5
     * implementations x 4 cases about 43 s; a second round runs only while the budget allows it
     * (it does while weft's two servers are still skipped).
     */
    public static final NetPlan QUICK = new NetPlan(Duration.ofMillis(500), Duration.ofMillis(1500), 2,
            Duration.ofMillis(500), Duration.ofSeconds(75));

    /** About eight minutes with every implementation. */
    public static final NetPlan FULL = new NetPlan(Duration.ofSeconds(2), Duration.ofSeconds(5), 3,
            Duration.ofSeconds(2), Duration.ofMinutes(15));

    /** @throws IllegalArgumentException naming the value that is out of range */
    public NetPlan {
        Objects.requireNonNull(warmup, "warmup");
        Objects.requireNonNull(measure, "measure");
        Objects.requireNonNull(generatorWarmup, "generatorWarmup");
        Objects.requireNonNull(budget, "budget");
        if (warmup.isNegative() || generatorWarmup.isNegative()) {
            throw new IllegalArgumentException("warmup and generatorWarmup must be >= 0, were "
                    + warmup + ", " + generatorWarmup);
        }
        if (!measure.isPositive()) {
            throw new IllegalArgumentException("measure must be positive, was " + measure);
        }
        if (rounds < 1) {
            throw new IllegalArgumentException("rounds must be >= 1, was " + rounds);
        }
    }

    /** The longest one measurement of this plan may take: {@link #timeout(Duration, Duration)}. */
    public Duration timeout() {
        return timeout(warmup, measure);
    }

    /**
     * The longest a measurement of {@code warmup} and {@code measure} may take before it counts
     * as hung: those, plus the generator's connect and stall limits, plus time to start and close
     * a server.
     */
    public static Duration timeout(Duration warmup, Duration measure) {
        return warmup.plus(measure).plus(LoadGenerator.CONNECT_TIMEOUT).plus(LoadGenerator.STALL_TIMEOUT)
                .plusSeconds(20);
    }
}
