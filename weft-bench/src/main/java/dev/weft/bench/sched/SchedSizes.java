package dev.weft.bench.sched;

import java.util.Locale;

/**
 * The size of one measurement of each case.
 *
 * @param skynetLeaves       skynet's leaves, a power of {@code skynetFanOut}
 * @param skynetFanOut       children per skynet node
 * @param chainLinks         tasks in the chained-spawn chain
 * @param stormTasks         tasks the spawn storm spawns before joining them
 * @param yieldTasks         yield-many's tasks
 * @param yieldsEach         yields per yield-many task
 * @param pingPongRoundTrips ping-pong's round trips
 * @param fanOutTasks        fan-out's tasks
 * @param fanOutWork         mixing steps each fan-out task computes ({@link FanOutWork})
 * @param timerSleepers      tasks sleeping at once in the timer case (a low load)
 * @param timerSleepsEach    sleeps per timer-case task
 * @param heldTasks          tasks held blocked in the memory cases
 */
public record SchedSizes(int skynetLeaves, int skynetFanOut, int chainLinks, int stormTasks,
                         int yieldTasks, int yieldsEach, int pingPongRoundTrips, int fanOutTasks,
                         int fanOutWork, int timerSleepers, int timerSleepsEach, int heldTasks) {

    /** @throws IllegalArgumentException naming the value that is out of range */
    public SchedSizes {
        positive("chainLinks", chainLinks);
        positive("stormTasks", stormTasks);
        positive("yieldTasks", yieldTasks);
        positive("yieldsEach", yieldsEach);
        positive("pingPongRoundTrips", pingPongRoundTrips);
        positive("fanOutTasks", fanOutTasks);
        positive("fanOutWork", fanOutWork);
        positive("timerSleepers", timerSleepers);
        positive("timerSleepsEach", timerSleepsEach);
        positive("heldTasks", heldTasks);
        if (skynetFanOut < 2) {
            throw new IllegalArgumentException("skynetFanOut must be >= 2, was " + skynetFanOut);
        }
        long n = skynetLeaves;
        while (n > 1 && n % skynetFanOut == 0) {
            n /= skynetFanOut;
        }
        if (skynetLeaves < skynetFanOut || n != 1) {
            throw new IllegalArgumentException("skynetLeaves must be a power of skynetFanOut ("
                    + skynetFanOut + ") of at least " + skynetFanOut + ", was " + skynetLeaves);
        }
    }

    private static void positive(String name, int value) {
        if (value < 1) {
            throw new IllegalArgumentException(name + " must be >= 1, was " + value);
        }
    }

    /** Every task of the skynet tree, leaves and inner nodes: 1,111,111 for 10^6 leaves. */
    public long skynetTasks() {
        long tasks = 0;
        for (long level = skynetLeaves; level >= 1; level /= skynetFanOut) {
            tasks += level;
        }
        return tasks;
    }

    /** One line listing every size, for the report's header. */
    public String describe() {
        return String.format(Locale.ROOT, "skynet %,d leaves (fan-out %d, %,d tasks); chained-spawn"
                        + " %,d links; spawn-storm %,d tasks; yield-many %,d tasks x %,d yields;"
                        + " ping-pong %,d round trips; fan-out %,d tasks x %,d mixing steps; timer"
                        + " %d tasks x %,d sleeps of 1-5 ms; parked and timers-memory %,d tasks",
                skynetLeaves, skynetFanOut, skynetTasks(), chainLinks, stormTasks, yieldTasks,
                yieldsEach, pingPongRoundTrips, fanOutTasks, fanOutWork, timerSleepers,
                timerSleepsEach, heldTasks);
    }
}
