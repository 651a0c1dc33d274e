package dev.weft.bench;

import java.lang.management.CompilationMXBean;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.Locale;

/**
 * What the JVM itself did (JIT compilation, garbage collection) between two snapshots. On a
 * 2-core machine a compiler thread takes a core from the threads being measured, so a suite warms
 * up until compilation has settled, and reports what remained during its measured rounds.
 *
 * @param jitMillis time the JIT compilers spent, in milliseconds (all compiler threads); -1 if
 *                  the JVM does not report it
 * @param gcCount   garbage collections
 * @param gcMillis  time spent in collections, in milliseconds
 */
public record JvmActivity(long jitMillis, long gcCount, long gcMillis) {

    /** The JVM's counters now (totals since it started). */
    public static JvmActivity now() {
        CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
        long jitMillis = jit != null && jit.isCompilationTimeMonitoringSupported()
                ? jit.getTotalCompilationTime() : -1;
        long count = 0;
        long millis = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            count += Math.max(0, gc.getCollectionCount());
            millis += Math.max(0, gc.getCollectionTime());
        }
        return new JvmActivity(jitMillis, count, millis);
    }

    /** What happened between {@code earlier} and this snapshot. */
    public JvmActivity since(JvmActivity earlier) {
        return new JvmActivity(jitMillis < 0 ? -1 : jitMillis - earlier.jitMillis,
                gcCount - earlier.gcCount, gcMillis - earlier.gcMillis);
    }

    /** The sum of this and {@code other}: the activity of two stretches of time together. */
    public JvmActivity plus(JvmActivity other) {
        return new JvmActivity(jitMillis < 0 || other.jitMillis < 0 ? -1 : jitMillis + other.jitMillis,
                gcCount + other.gcCount, gcMillis + other.gcMillis);
    }

    /** {@code JIT 120 ms, GC 3 collections 15 ms}. */
    @Override
    public String toString() {
        return String.format(Locale.ROOT, "JIT %s, GC %d collection%s %d ms",
                jitMillis < 0 ? "n/a" : jitMillis + " ms", gcCount, gcCount == 1 ? "" : "s", gcMillis);
    }
}
