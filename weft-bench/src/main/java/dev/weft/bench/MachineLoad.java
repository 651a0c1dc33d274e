package dev.weft.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

/**
 * How busy other processes kept the CPUs while a suite ran: the CPU time the whole machine spent
 * busy ({@code /proc/stat}) minus the time this JVM and the processes it started spent
 * ({@code /proc/self/stat}, {@link ProcessCpu#ticksWithChildren}: a child counts once it has
 * ended, so a suite takes its last snapshot after closing its processes), as a share of all CPU
 * time. On these 2-core machines, another build or test run doubles or worse every
 * latency and halves every throughput, for weft and peers alike, but not evenly; a report says so
 * rather than let such numbers pass for measurements. Linux only: elsewhere nothing is reported.
 */
public final class MachineLoad {

    /** Above this share of CPU time used by other processes, results are flagged as disturbed. */
    public static final double DISTURBED = 0.10;

    private final long busy;
    private final long total;
    private final long self;

    private MachineLoad(long busy, long total, long self) {
        this.busy = busy;
        this.total = total;
        this.self = self;
    }

    /** A snapshot of the counters now, if this system has them. */
    public static Optional<MachineLoad> now() {
        try {
            String[] cpu = Files.readAllLines(Path.of("/proc/stat")).getFirst().trim().split("\\s+");
            // cpu user nice system idle iowait irq softirq steal ...
            long user = Long.parseLong(cpu[1]);
            long nice = Long.parseLong(cpu[2]);
            long system = Long.parseLong(cpu[3]);
            long idle = Long.parseLong(cpu[4]);
            long iowait = Long.parseLong(cpu[5]);
            long irq = Long.parseLong(cpu[6]);
            long softirq = Long.parseLong(cpu[7]);
            long steal = cpu.length > 8 ? Long.parseLong(cpu[8]) : 0;
            long busy = user + nice + system + irq + softirq + steal;
            long self = ProcessCpu.ticksWithChildren(Files.readString(Path.of("/proc/self/stat")));
            return Optional.of(new MachineLoad(busy, busy + idle + iowait, self));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /**
     * The share of all CPU time between {@code earlier} and this snapshot that other processes
     * used, 0 to 1.
     */
    public double othersShareSince(MachineLoad earlier) {
        long totalDelta = total - earlier.total;
        if (totalDelta <= 0) {
            return 0;
        }
        long others = (busy - earlier.busy) - (self - earlier.self);
        return Math.clamp((double) others / totalDelta, 0, 1);
    }

    /**
     * One line for a report: how much of the CPUs other processes used since {@code earlier}, and
     * whether that disturbs the results.
     */
    public static String describeSince(Optional<MachineLoad> earlier) {
        Optional<MachineLoad> now = now();
        if (earlier.isEmpty() || now.isEmpty()) {
            return "CPU use by other processes: unknown (no /proc/stat)";
        }
        double share = now.get().othersShareSince(earlier.get());
        return String.format(Locale.ROOT, "CPU use by other processes during the run: %.0f%% of all CPU time%s",
                share * 100, share > DISTURBED
                        ? " -- DISTURBED: other processes competed for the CPUs; these numbers are"
                          + " not measurements of weft or its peers, rerun on a quiet machine"
                        : " (quiet)");
    }
}
