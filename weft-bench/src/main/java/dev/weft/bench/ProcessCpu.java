package dev.weft.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;

/**
 * The CPU time a process has used, as Linux reports it in {@code /proc/<pid>/stat}: user time
 * ({@code utime}, field 14) plus system time ({@code stime}, field 15), summed over all its
 * threads, live and exited, in clock ticks of {@link #TICK} ({@code USER_HZ}, which the kernel
 * fixes at 100 per second for user space on Linux).
 *
 * <p>{@link MachineLoad} reads this JVM's own figure with that of its children; the net suite
 * reads the server process's figure at the start and at the end of the measured
 * window; the difference over the messages echoed in it is {@code cpu-per-op}
 * ({@link #microsPerOp}).
 */
public final class ProcessCpu {

    /** One clock tick of {@code /proc/<pid>/stat}: 1/{@code USER_HZ} s, 10 ms on Linux. */
    public static final Duration TICK = Duration.ofMillis(10);

    private ProcessCpu() {
    }

    /**
     * The CPU time process {@code pid} has used so far, in nanoseconds (a multiple of
     * {@link #TICK}).
     *
     * @throws IOException when the process does not exist (any more) or its stat cannot be read
     */
    public static long nanos(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        return ticks(stat) * TICK.toNanos();
    }

    /**
     * {@code utime + stime} from the text of a {@code /proc/<pid>/stat} file. The command name
     * (field 2) is in parentheses and may hold spaces and parentheses itself, so the fields are
     * counted from the last {@code ')'}.
     *
     * @throws IllegalArgumentException when {@code stat} does not have that shape
     */
    public static long ticks(String stat) {
        return sum(stat, 14, 15);
    }

    /**
     * {@code utime + stime + cutime + cstime} from the text of a {@code /proc/<pid>/stat} file:
     * the process's own CPU time and that of its children that have ended and been waited for.
     *
     * @throws IllegalArgumentException when {@code stat} does not have that shape
     */
    public static long ticksWithChildren(String stat) {
        return sum(stat, 14, 17);
    }

    /** The sum of fields {@code from} to {@code to} (1-based, as in proc(5)) of a stat line. */
    private static long sum(String stat, int from, int to) {
        int close = stat.lastIndexOf(')');
        if (close < 0) {
            throw new IllegalArgumentException("not a /proc/<pid>/stat line (no ')' after the command): " + stat);
        }
        // After ')': field 3 (state) onwards.
        String[] fields = stat.substring(close + 1).trim().split("\\s+");
        if (fields.length <= to - 3) {
            throw new IllegalArgumentException("not a /proc/<pid>/stat line (" + (fields.length + 2)
                    + " fields, needs " + to + "): " + stat);
        }
        long sum = 0;
        for (int field = from; field <= to; field++) {
            String value = fields[field - 3];
            try {
                sum += Long.parseLong(value);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("not a /proc/<pid>/stat line (field " + field + " is '"
                        + value + "'): " + stat, e);
            }
        }
        return sum;
    }

    /**
     * Microseconds of CPU per message: {@code cpuNanos} spread over {@code messages}.
     *
     * @throws IllegalArgumentException when {@code messages < 1} or {@code cpuNanos < 0}
     */
    public static double microsPerOp(long cpuNanos, long messages) {
        if (messages < 1 || cpuNanos < 0) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "cpu per message needs messages >= 1 and cpu >= 0, were %d and %d ns", messages, cpuNanos));
        }
        return cpuNanos / 1e3 / messages;
    }
}
