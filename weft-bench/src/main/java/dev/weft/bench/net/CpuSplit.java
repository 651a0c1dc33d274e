package dev.weft.bench.net;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Which CPU the server processes and the load generator's process run on: the two lowest CPUs
 * this process may use, the generator on the first and every server on the second, pinned with
 * {@code taskset -c} (util-linux, part of every Debian system). When that cannot be done (no
 * {@code taskset} on the {@code PATH}, fewer than two CPUs allowed) nothing is pinned and
 * {@link #describe()} says why; every implementation still gets the same split.
 */
public final class CpuSplit {

    private final Optional<String> taskset;
    private final int generatorCpu;
    private final int serverCpu;
    private final Optional<String> unpinned;

    private CpuSplit(Optional<String> taskset, int generatorCpu, int serverCpu, Optional<String> unpinned) {
        this.taskset = taskset;
        this.generatorCpu = generatorCpu;
        this.serverCpu = serverCpu;
        this.unpinned = unpinned;
    }

    /** The split on this machine: {@link #of} with the {@code PATH}'s taskset and this process's CPUs. */
    public static CpuSplit detect() {
        List<Integer> cpus;
        try {
            cpus = allowedCpus(Files.readString(Path.of("/proc/self/status")));
        } catch (IOException | IllegalArgumentException e) {
            return new CpuSplit(Optional.empty(), -1, -1,
                    Optional.of("not pinned: cannot read the allowed CPUs from /proc/self/status (" + e.getMessage() + ")"));
        }
        return of(onPath("taskset", System.getenv("PATH")), cpus);
    }

    /**
     * The split for a {@code taskset} executable (empty when there is none) and the CPUs allowed.
     */
    static CpuSplit of(Optional<String> taskset, List<Integer> allowedCpus) {
        Objects.requireNonNull(taskset, "taskset");
        if (taskset.isEmpty()) {
            return new CpuSplit(taskset, -1, -1, Optional.of("not pinned: no taskset on the PATH"
                    + " (it is in Debian's util-linux package: apt-get install util-linux)"));
        }
        if (allowedCpus.size() < 2) {
            return new CpuSplit(Optional.empty(), -1, -1, Optional.of("not pinned: this process may run on "
                    + allowedCpus.size() + " CPU" + (allowedCpus.size() == 1 ? "" : "s")
                    + " " + allowedCpus + ", the split needs two"));
        }
        return new CpuSplit(taskset, allowedCpus.get(0), allowedCpus.get(1), Optional.empty());
    }

    /** The command prefix that pins the load generator's process; empty when not pinned. */
    public List<String> generatorPrefix() {
        return prefix(generatorCpu);
    }

    /** The command prefix that pins a server's process; empty when not pinned. */
    public List<String> serverPrefix() {
        return prefix(serverCpu);
    }

    /** Whether the processes are pinned. */
    public boolean pinned() {
        return unpinned.isEmpty();
    }

    /** One line for the report: which CPUs, or why nothing is pinned. */
    public String describe() {
        return unpinned.orElse("pinned with taskset: every server process on cpu " + serverCpu
                + ", the load generator's process on cpu " + generatorCpu);
    }

    private List<String> prefix(int cpu) {
        return taskset.isEmpty() || unpinned.isPresent() ? List.of()
                : List.of(taskset.get(), "-c", Integer.toString(cpu));
    }

    /**
     * The CPUs in the {@code Cpus_allowed_list} line of a {@code /proc/<pid>/status} text
     * ({@code 0-1}, {@code 0,2-3}), ascending.
     *
     * @throws IllegalArgumentException when there is no such line or it does not parse
     */
    static List<Integer> allowedCpus(String status) {
        for (String line : status.split("\n")) {
            if (line.startsWith("Cpus_allowed_list:")) {
                String list = line.substring("Cpus_allowed_list:".length()).trim();
                TreeSet<Integer> cpus = new TreeSet<>();
                try {
                    for (String part : list.split(",")) {
                        int dash = part.indexOf('-');
                        int from = Integer.parseInt(dash < 0 ? part.trim() : part.substring(0, dash).trim());
                        int to = dash < 0 ? from : Integer.parseInt(part.substring(dash + 1).trim());
                        for (int c = from; c <= to; c++) {
                            cpus.add(c);
                        }
                    }
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("Cpus_allowed_list does not parse: '" + list + "'", e);
                }
                return new ArrayList<>(cpus);
            }
        }
        throw new IllegalArgumentException("no Cpus_allowed_list line");
    }

    private static Optional<String> onPath(String command, String path) {
        if (path == null) {
            return Optional.empty();
        }
        for (String dir : path.split(File.pathSeparator)) {
            Path candidate = Path.of(dir.isEmpty() ? "." : dir, command);
            if (Files.isExecutable(candidate)) {
                return Optional.of(candidate.toString());
            }
        }
        return Optional.empty();
    }
}
