package dev.weft.bench.sched;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The computation each fan-out task does: {@code work} steps of the SplitMix64 mixer over a
 * sequence that starts at the task's index, summed. Every implementation calls this same method.
 */
final class FanOutWork {

    private static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;
    private static final Map<Long, Long> EXPECTED = new ConcurrentHashMap<>();

    private FanOutWork() {
    }

    /** The value task {@code index} computes. */
    static long chunk(long index, int work) {
        long x = index * GOLDEN_GAMMA;
        long sum = 0;
        for (int i = 0; i < work; i++) {
            x += GOLDEN_GAMMA;
            long z = x;
            z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
            z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
            sum += z ^ (z >>> 31);
        }
        return sum;
    }

    /** The sum over tasks 0 .. tasks-1, computed on the calling thread once per size. */
    static long expected(int tasks, int work) {
        return EXPECTED.computeIfAbsent(((long) tasks << 32) | work, k -> {
            long sum = 0;
            for (int i = 0; i < tasks; i++) {
                sum += chunk(i, work);
            }
            return sum;
        });
    }
}
