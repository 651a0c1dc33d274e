package dev.weft.bench.io;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.TimeUnit;

/**
 * This JVM's threads as Linux sees them ({@code /proc/self/task}): found by name, their CPU time
 * read from {@code schedstat}, pinned to a CPU with {@code taskset}. Thread names are cut to 15
 * bytes by the kernel, so callers give names that fit.
 */
final class OsThreads {

    private static final AtomicInteger NAMES = new AtomicInteger();

    private OsThreads() {
    }

    /**
     * {@code prefix} and a number not given before (modulo 10,000), cut to the kernel's 15 bytes
     * from the prefix's end: a thread name to find one thread by, since a thread that has ended
     * can linger in /proc for a moment under its name.
     */
    static String uniqueName(String prefix) {
        String n = "-" + NAMES.getAndIncrement() % 10_000;
        return (prefix.length() + n.length() > 15 ? prefix.substring(0, 15 - n.length()) : prefix) + n;
    }

    /** The kernel ids of this process's threads named {@code name} (the first 15 bytes). */
    static List<Long> named(String name) throws IOException {
        String want = name.length() > 15 ? name.substring(0, 15) : name;
        List<Long> tids = new ArrayList<>();
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc/self/task"))) {
            for (Path task : tasks) {
                try {
                    if (Files.readString(task.resolve("comm")).strip().equals(want)) {
                        tids.add(Long.parseLong(task.getFileName().toString()));
                    }
                } catch (IOException e) {
                    // the thread ended meanwhile
                }
            }
        }
        return tids;
    }

    /** The one thread of this process named {@code name}. */
    static long one(String name) throws IOException {
        List<Long> tids = named(name);
        if (tids.size() != 1) {
            throw new IOException(tids.size() + " threads named '" + name + "' in /proc/self/task; expected one");
        }
        return tids.getFirst();
    }

    /**
     * The CPU time thread {@code tid} of this process has used, ns: the first field of its
     * {@code schedstat} (time on a CPU, in ns).
     */
    static long cpuNanos(long tid) throws IOException {
        return schedstatNanos(Files.readString(Path.of("/proc/self/task", Long.toString(tid), "schedstat")));
    }

    /**
     * The first field of a {@code schedstat} line ({@code run-ns wait-ns timeslices}).
     *
     * @throws IllegalArgumentException when the text is not such a line
     */
    static long schedstatNanos(String schedstat) {
        String[] f = schedstat.strip().split("\\s+");
        try {
            return Long.parseLong(f[0]);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a schedstat line: '" + schedstat.strip() + "'", e);
        }
    }

    /**
     * Pins thread (or process) {@code tid} to {@code cpu} with {@code taskset -p -c}.
     *
     * @throws IOException when taskset fails or is missing
     */
    static void pin(long tid, String cpus) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("taskset", "-p", "-c", cpus, Long.toString(tid)).redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("taskset -p -c " + cpus + " " + tid + " failed: " + out.strip());
        }
    }
}
