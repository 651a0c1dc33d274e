package dev.weft.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;

/**
 * The heap that live objects take: used heap read after {@link System#gc()} (a full, compacting
 * collection with the JVM's default G1), three times, the smallest reading. The difference of two
 * readings is what was allocated and kept alive in between. The sched and actors suites measure
 * heap per blocked task and per idle actor with it.
 */
public final class HeapGauge {

    private static final int COLLECTIONS = 3;
    private static final MemoryMXBean MEMORY = ManagementFactory.getMemoryMXBean();

    private HeapGauge() {
    }

    /** Bytes of heap in use after full collections. */
    public static long liveBytes() {
        long used = Long.MAX_VALUE;
        for (int i = 0; i < COLLECTIONS; i++) {
            System.gc();
            used = Math.min(used, MEMORY.getHeapMemoryUsage().getUsed());
        }
        return used;
    }
}
