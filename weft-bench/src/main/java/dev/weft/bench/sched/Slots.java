package dev.weft.bench.sched;

/**
 * Per-task result slots: where a workload's tasks store their values (task i in slot i, so no
 * two tasks write the same element) when the implementation's join carries no value, for the root
 * to add up after joining them all.
 */
final class Slots {

    private Slots() {
    }

    /** The sum of every slot. */
    static long sum(long[] slots) {
        long sum = 0;
        for (long v : slots) {
            sum += v;
        }
        return sum;
    }
}
