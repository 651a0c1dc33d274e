package dev.weft.bench.actors;

import java.time.Duration;
import java.util.Objects;

/**
 * How much the suite runs.
 *
 * @param warmupRounds rounds of every timed and latency case on every implementation, not kept
 * @param rounds       measured rounds (at least {@link #MIN_ROUNDS} run, more while the budget lasts)
 * @param memoryRounds idle-bytes rounds
 * @param sizes        the size of each measurement
 * @param timeout      how long one measurement may take before it is abandoned
 * @param budget       the suite's time budget: no measured round starts that would end after it
 */
public record ActorPlan(int warmupRounds, int rounds, int memoryRounds, ActorSizes sizes,
                        Duration timeout, Duration budget) {

    /** The fewest measured rounds a figure is reported from, whatever the budget. */
    public static final int MIN_ROUNDS = 3;

    /** {@code --quick}: the quick sizes, one warm-up and three measured rounds. */
    public static final ActorPlan QUICK = new ActorPlan(1, 3, 3, ActorSizes.QUICK, Duration.ofSeconds(20),
            Duration.ofSeconds(70));

    /** The sizes: two warm-up rounds, up to five measured rounds. */
    public static final ActorPlan FULL = new ActorPlan(2, 5, 3, ActorSizes.FULL, Duration.ofSeconds(120),
            Duration.ofMinutes(25));

    /** @throws IllegalArgumentException naming the value that is out of range */
    public ActorPlan {
        if (warmupRounds < 0) {
            throw new IllegalArgumentException("warmupRounds must be >= 0, was " + warmupRounds);
        }
        if (rounds < 1 || memoryRounds < 1) {
            throw new IllegalArgumentException("rounds and memoryRounds must be >= 1, were " + rounds + ", "
                    + memoryRounds);
        }
        Objects.requireNonNull(sizes, "sizes");
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(budget, "budget");
        if (!timeout.isPositive()) {
            throw new IllegalArgumentException("timeout must be positive, was " + timeout);
        }
    }
}
