package dev.weft.bench;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Measures what bounds every hand-off benchmark here: the round trip of a cache line between two
 * threads on two cores. Two platform threads hand a counter back and forth, spinning; the figure
 * is the median of a few short runs. On the 2-vCPU machines weft is measured on it was about
 * 100 ns one hour and 400 ns the next (the host placed the vCPUs differently), and every figure of
 * the device suite, weft's and the peers', moved with it: a report that prints it can be read.
 */
public final class CoreToCore {

    private static final int ROUND_TRIPS = 200_000;
    private static final int RUNS = 5;

    private CoreToCore() {
    }

    /** The median cross-thread round trip, in nanoseconds. Takes well under a second. */
    public static double roundTripNanos() {
        double[] runs = new double[RUNS];
        for (int r = 0; r < RUNS; r++) {
            runs[r] = once(ROUND_TRIPS);
        }
        Arrays.sort(runs);
        return runs[RUNS / 2];
    }

    /** One run of {@code roundTrips} hand-offs there and back; nanoseconds per round trip. */
    static double once(int roundTrips) {
        AtomicLong baton = new AtomicLong();
        long last = 2L * roundTrips;
        Thread echo = Thread.ofPlatform().name("weft-bench-core-to-core").start(() -> {
            for (long odd = 1; odd < last; odd += 2) {
                while (baton.get() != odd) {
                    Thread.onSpinWait();
                }
                baton.set(odd + 1);
            }
        });
        long start = System.nanoTime();
        for (long even = 0; even < last; even += 2) {
            baton.set(even + 1);
            while (baton.get() != even + 2) {
                Thread.onSpinWait();
            }
        }
        long elapsed = System.nanoTime() - start;
        try {
            echo.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return (double) elapsed / roundTrips;
    }
}
