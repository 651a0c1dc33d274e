package dev.weft.sched;

import java.util.concurrent.atomic.AtomicIntegerArray;

/**
 * An atomic {@code int} alone on its cache lines: the value sits in the middle of an array with
 * 128 bytes on either side (two lines, since a core may fetch lines in adjacent pairs), so writes
 * to it do not evict what lies next to it, and writes next to it do not evict it.
 *
 * <p>For the scheduler's wake-up counters: a worker that runs dry counts itself in and out of
 * {@code searching} as often as once per stolen task, and every spawn reads {@code sleepers}
 * and {@code searching}. Two plain {@code AtomicInteger}s made one after the other share a line,
 * so each such update cost the spawning core a miss on both.
 */
final class PaddedInt {

    private static final int PAD = 32; // ints: 128 bytes
    private final AtomicIntegerArray cell = new AtomicIntegerArray(2 * PAD + 1);

    int get() {
        return cell.get(PAD);
    }

    int incrementAndGet() {
        return cell.incrementAndGet(PAD);
    }

    int decrementAndGet() {
        return cell.decrementAndGet(PAD);
    }

    boolean compareAndSet(int expected, int value) {
        return cell.compareAndSet(PAD, expected, value);
    }

    @Override
    public String toString() {
        return Integer.toString(get());
    }
}
