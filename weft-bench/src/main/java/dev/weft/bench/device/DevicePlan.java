package dev.weft.bench.device;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;

/**
 * How much the device suite measures: warm-up rounds (every case and implementation, results
 * dropped; at least {@code warmupRounds}, then more, up to {@code maxWarmupRounds}, while the JIT
 * still spent more than {@link #SETTLED_JIT_SHARE} of the last one compiling), measured rounds, the size of each case's measurement, and how long one measurement
 * may take before it counts as hung, and a time budget for the whole suite: once the time spent
 * plus one more round (as long as the longest so far) would exceed it, no further round starts,
 * and the report says how many rounds ran ({@code runs}). A loaded machine thus shortens quick
 * mode instead of running it past its limit.
 *
 * @param warmupRounds    rounds run first and not reported, {@code >= 0}
 * @param maxWarmupRounds the most warm-up rounds while the JIT has not settled, {@code >= warmupRounds}
 * @param rounds       measured rounds, {@code >= 1}; the report gives their median and spread
 * @param sizes        the size of one measurement of each case (see {@link DeviceCase#sizeUnit()})
 * @param timeout      the longest one measurement may take
 * @param budget       the time the suite should not exceed (at least {@link #MIN_ROUNDS} measured
 *                     rounds run, or {@code rounds} if fewer)
 */
public record DevicePlan(int warmupRounds, int maxWarmupRounds, int rounds, Map<DeviceCase, Long> sizes, Duration timeout,
                         Duration budget) {

    /**
     * Warm-up is over when the JIT spent at most this share of a warm-up round's wall time
     * compiling: a compiler thread then no longer competes for the cores being measured.
     */
    public static final double SETTLED_JIT_SHARE = 0.02;

    /** The fewest measured rounds whatever the budget: every figure is the median of at least 3. */
    public static final int MIN_ROUNDS = 3;

    /** Under 90 seconds for the whole suite on a 2-core machine (about 60 s when quiet). */
    public static final DevicePlan QUICK = new DevicePlan(2, 4, 8,
            sizes(4_000_000, 4_000_000, 300_000, 60_000), Duration.ofSeconds(20),
            Duration.ofSeconds(75));

    /** A few minutes. */
    public static final DevicePlan FULL = new DevicePlan(3, 6, 16,
            sizes(12_000_000, 12_000_000, 1_000_000, 200_000), Duration.ofSeconds(60),
            Duration.ofMinutes(10));

    /** @throws IllegalArgumentException naming the value that is out of range */
    public DevicePlan {
        if (warmupRounds < 0) {
            throw new IllegalArgumentException("warmupRounds must be >= 0, was " + warmupRounds);
        }
        if (maxWarmupRounds < warmupRounds) {
            throw new IllegalArgumentException("maxWarmupRounds must be >= warmupRounds ("
                    + warmupRounds + "), was " + maxWarmupRounds);
        }
        if (rounds < 1) {
            throw new IllegalArgumentException("rounds must be >= 1, was " + rounds);
        }
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(budget, "budget");
        sizes = Map.copyOf(sizes);
        for (DeviceCase c : DeviceCase.values()) {
            Long size = sizes.get(c);
            if (size == null || size < 1) {
                throw new IllegalArgumentException("size of " + c.id() + " must be >= 1, was " + size);
            }
        }
    }

    /** The size of one measurement of {@code c}. */
    public long size(DeviceCase c) {
        return sizes.get(c);
    }

    /** Sizes in case order: submit-1p, submit-2p, roundtrip, burst32. */
    public static Map<DeviceCase, Long> sizes(long submit1p, long submit2p, long roundtrip, long burst32) {
        Map<DeviceCase, Long> sizes = new EnumMap<>(DeviceCase.class);
        sizes.put(DeviceCase.SUBMIT_1P, submit1p);
        sizes.put(DeviceCase.SUBMIT_2P, submit2p);
        sizes.put(DeviceCase.ROUNDTRIP, roundtrip);
        sizes.put(DeviceCase.BURST32, burst32);
        return sizes;
    }
}
