package dev.weft.bench.sched;

import java.time.Duration;
import java.util.Objects;

/**
 * How much the sched suite measures.
 *
 * <ul>
 *   <li>Throughput cases: {@code warmupRounds} rounds whose results are dropped, then up to
 *       {@code rounds} measured rounds; a round runs every throughput case once on every
 *       implementation. No measured round starts once the time spent plus one more round (as
 *       long as the longest so far) would leave less than {@code reserve} of the {@code budget}
 *       for the timer and memory cases (at least one measured round runs).</li>
 *   <li>Timer: one warm-up round (a tenth of the sleeps), then {@code timerRounds}.</li>
 *   <li>Memory: {@code memoryRounds} rounds of each memory case.</li>
 *   <li>One measurement (or one step of a memory measurement) that takes longer than
 *       {@code timeout} is abandoned and its (case, impl) reported as failed.</li>
 * </ul>
 *
 * @param warmupRounds throughput rounds run first and not reported, {@code >= 0}
 * @param rounds       measured throughput rounds, {@code >= 1}
 * @param timerRounds  measured timer rounds, {@code >= 1}
 * @param memoryRounds measured rounds of each memory case, {@code >= 1}
 * @param sizes        the size of each case's measurement
 * @param timeout      the longest one measurement may take
 * @param budget       the time the whole suite should not exceed
 * @param reserve      the part of the budget kept for the timer and memory cases
 */
public record SchedPlan(int warmupRounds, int rounds, int timerRounds, int memoryRounds,
                        SchedSizes sizes, Duration timeout, Duration budget, Duration reserve) {

    /**
     * The fewest measured rounds of every kind in a run, whatever the budget (unless the plan has
     * fewer): every figure is the median of at least this many samples.
     */
    public static final int MIN_ROUNDS = 3;

    /**
     * Under 90 seconds for the whole suite on a 2-core machine (about 60 s when quiet): the
     * throughput cases at the sizes; 2,000 timer sleeps in all; the memory cases with
     * 100,000 tasks instead of 10^6, 3 rounds of each (with 10^6 each memory measurement takes about 10 s, most of
     * it in full collections of the blocked tasks), which gives the same bytes per task.
     */
    public static final SchedPlan QUICK = new SchedPlan(1, MIN_ROUNDS, MIN_ROUNDS, MIN_ROUNDS,
            new SchedSizes(1_000_000, 10, 1_000_000, 1_000_000, 1_000, 1_000, 1_000_000,
                    10_000, 10_000, 4, 250, 100_000),
            Duration.ofSeconds(20), Duration.ofSeconds(80), Duration.ofSeconds(40));

    /** About four minutes: the sizes, 2,000 timer sleeps per round, 10^6 held tasks. */
    public static final SchedPlan FULL = new SchedPlan(3, 11, 3, 3,
            new SchedSizes(1_000_000, 10, 1_000_000, 1_000_000, 1_000, 1_000, 1_000_000,
                    10_000, 10_000, 4, 500, 1_000_000),
            Duration.ofSeconds(60), Duration.ofMinutes(8), Duration.ofMinutes(2));

    /** @throws IllegalArgumentException naming the value that is out of range */
    public SchedPlan {
        if (warmupRounds < 0) {
            throw new IllegalArgumentException("warmupRounds must be >= 0, was " + warmupRounds);
        }
        if (rounds < 1 || timerRounds < 1 || memoryRounds < 1) {
            throw new IllegalArgumentException("rounds, timerRounds and memoryRounds must be >= 1, were "
                    + rounds + ", " + timerRounds + ", " + memoryRounds);
        }
        Objects.requireNonNull(sizes, "sizes");
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(budget, "budget");
        Objects.requireNonNull(reserve, "reserve");
        if (!timeout.isPositive()) {
            throw new IllegalArgumentException("timeout must be positive, was " + timeout);
        }
    }
}
