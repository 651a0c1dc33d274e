package dev.weft.bench.net;

import java.time.Duration;
import java.util.Objects;

/**
 * How much the net suite measures. A measurement starts a fresh server for one (case, impl),
 * drives it for {@code warmup} uncounted and {@code measure} counted, and closes it; in the idle
 * case it opens the connections, lets the server settle for {@code idleSettle}, and measures the
 * CPU used over {@code idleWindow} instead. A round
 * measures every case on every implementation. Before the first round the load generator is run
 * for {@code generatorWarmup} per message size against every implementation that runs (not
 * reported). No measured round starts once the time spent plus one more round (as long as the
 * longest so far) would exceed {@code budget}; at least {@link #MIN_ROUNDS} run (or
 * {@code rounds}, if fewer).
 *
 * @param warmup          the uncounted start of each measurement, {@code >= 0}
 * @param measure         the counted part of each measurement, positive
 * @param rounds          measured rounds, {@code >= 1}; the report gives their median and spread
 * @param generatorWarmup how long the load generator warms per message size, {@code >= 0}
 * @param budget          the time the suite should not exceed
 * @param idleSettle      in the idle case, the time from opening the connections to the start of
 *                        the window, {@code >= 0}
 * @param idleWindow      in the idle case, the window whose CPU time is measured, positive
 */
public record NetPlan(Duration warmup, Duration measure, int rounds, Duration generatorWarmup, Duration budget,
                      Duration idleSettle, Duration idleWindow) {

    /**
     * The fewest measured rounds a run has, whatever its budget (unless the plan has fewer): every
     * figure is the median of at least this many samples.
     */
    public static final int MIN_ROUNDS = 3;

    /** How long the idle case lets a server settle after the connections opened, in both plans. */
    public static final Duration IDLE_SETTLE = Duration.ofMillis(500);

    /**
     * Under 90 s on a 2-core machine, with {@link #MIN_ROUNDS} rounds: an echo measurement takes
     * about 0.8 s (start, 100 connects, 0.2 s warm-up, 0.4 s measured, drain, close) and an idle
     * one about 1.5 s (0.25 s settle, a 1 s window, in which one clock tick is 1% of a core), so
     * a round of 5 implementations x (4 echo cases + idle) about 23 s, after about 10 s of
     * starting the processes, checking and warming up against each implementation.
     */
    public static final NetPlan QUICK = new NetPlan(Duration.ofMillis(200), Duration.ofMillis(400), MIN_ROUNDS,
            Duration.ofMillis(300), Duration.ofSeconds(75), Duration.ofMillis(250), Duration.ofSeconds(1));

    /**
     * About fourteen minutes with every implementation: 5 rounds, one per row of the Latin square
     * over the 5 implementations, so that each stands at every position once in every case.
     */
    public static final NetPlan FULL = new NetPlan(Duration.ofSeconds(2), Duration.ofSeconds(5), 5,
            Duration.ofSeconds(2), Duration.ofMinutes(17), IDLE_SETTLE, Duration.ofSeconds(3));

    /** @throws IllegalArgumentException naming the value that is out of range */
    public NetPlan {
        Objects.requireNonNull(warmup, "warmup");
        Objects.requireNonNull(measure, "measure");
        Objects.requireNonNull(generatorWarmup, "generatorWarmup");
        Objects.requireNonNull(budget, "budget");
        Objects.requireNonNull(idleSettle, "idleSettle");
        Objects.requireNonNull(idleWindow, "idleWindow");
        if (warmup.isNegative() || generatorWarmup.isNegative() || idleSettle.isNegative()) {
            throw new IllegalArgumentException("warmup, generatorWarmup and idleSettle must be >= 0, were "
                    + warmup + ", " + generatorWarmup + ", " + idleSettle);
        }
        if (!measure.isPositive() || !idleWindow.isPositive()) {
            throw new IllegalArgumentException("measure and idleWindow must be positive, were " + measure
                    + ", " + idleWindow);
        }
        if (rounds < 1) {
            throw new IllegalArgumentException("rounds must be >= 1, was " + rounds);
        }
    }

    /**
     * A plan whose idle case settles for {@code warmup} and measures over {@code measure}, as the
     * echo cases warm up and measure.
     */
    public NetPlan(Duration warmup, Duration measure, int rounds, Duration generatorWarmup, Duration budget) {
        this(warmup, measure, rounds, generatorWarmup, budget, warmup, measure);
    }

    /** The longest one echo measurement of this plan may take: {@link #timeout(Duration, Duration)}. */
    public Duration timeout() {
        return timeout(warmup, measure);
    }

    /** The longest one idle measurement of this plan may take: {@link #timeout(Duration, Duration)}. */
    public Duration idleTimeout() {
        return timeout(idleSettle, idleWindow);
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
