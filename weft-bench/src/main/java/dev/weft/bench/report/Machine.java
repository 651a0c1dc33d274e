package dev.weft.bench.report;

import dev.weft.bench.MachineLoad;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Optional;

/**
 * The machine a run of every suite measured on, for the report's first lines: when, which JDK,
 * how many CPUs, which kernel, and how loaded the machine was.
 *
 * @param started when the run started
 * @param jdk     the JDK: {@code java.version} and {@code java.vendor}
 * @param cpus    the processors available to the JVM
 * @param kernel  the operating system and kernel version
 * @param load    the load averages and the share of CPU time other processes used during the run
 */
public record Machine(Instant started, String jdk, int cpus, String kernel, String load) {

    private static final DateTimeFormatter DATE =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'", Locale.ROOT).withZone(ZoneOffset.UTC);

    /** The one-line form: {@code 2026-12-07 17:40:00 UTC, jdk 25.0.1 (Eclipse Adoptium), 2 cpus, ...}. */
    public String line() {
        return DATE.format(started) + ", jdk " + jdk + ", " + cpus + " cpus, " + kernel + "; " + load;
    }

    /**
     * What a run needs to note at its start to describe the machine at its end: the time, the
     * CPU counters and the load average.
     */
    public record Start(Instant at, Optional<MachineLoad> counters, String loadAverage) {

        /** Now. */
        public static Start now() {
            return new Start(Instant.now(), MachineLoad.now(), readLoadAverage());
        }

        /** This JVM and machine, the run having started at this start and ending now. */
        public Machine end() {
            String load = "load average " + loadAverage + " at start, " + readLoadAverage() + " at end; "
                    + MachineLoad.describeSince(counters);
            return new Machine(at, System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ")",
                    java.lang.Runtime.getRuntime().availableProcessors(), osAndKernel(), load);
        }
    }

    /** The 1-, 5- and 15-minute load averages ({@code /proc/loadavg}), or "unknown". */
    static String readLoadAverage() {
        try {
            String[] fields = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return fields[0] + " " + fields[1] + " " + fields[2];
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    /** The operating system and its kernel version: {@code Linux 6.1.0-28-amd64}. */
    static String osAndKernel() {
        return System.getProperty("os.name") + " " + System.getProperty("os.version");
    }
}
