package dev.weft.bench.io;

import dev.weft.ioqueue.IoQueue;
import dev.weft.ioqueue.QueueAbi;

import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * {@code weft-ioqueue-c}: the request queue fed by a C producer in a process of its own
 * ({@code ioq_bench.c}, compiled with gcc when the suite opens it, against {@code ioqueue.h} as
 * weft's jar ships it), against an {@link dev.weft.ioqueue.IoLoop} in this JVM serving the queue
 * mapped from a file under {@code /dev/shm}. A fresh queue file and loop per measurement (a
 * producer starts at slot 0). The loop's thread is pinned to CPU 0 and the producer to CPU 1
 * ({@code taskset}) when pinning. The producer spins on the status word; it measures its own
 * counts and latencies and prints them. CPU per transfer is the loop thread's.
 */
final class CQueueImpl implements IoImpl {

    /** The stable name. */
    static final String NAME = "weft-ioqueue-c";
    /** The program's source, a resource beside this class. */
    static final String SOURCE = "ioq_bench.c";
    /** The loop thread's name, before its number. */
    static final String LOOP = "wb-io-cloop";

    private final boolean pin;
    private final Optional<String> unavailable;
    private Path dir;
    private Path program;
    private Path queueFile;
    private Arena arena;
    private MemorySegment region;
    private IoFiles files;

    /**
     * @param pin         whether to pin the loop to CPU 0 and the producer to CPU 1
     * @param unavailable why gcc cannot run here ({@link Tools#ensure}), or empty
     */
    CQueueImpl(boolean pin, Optional<String> unavailable) {
        this.pin = pin;
        this.unavailable = unavailable;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Optional<String> unavailableReason() {
        if (!System.getProperty("os.name", "").equals("Linux")) {
            return Optional.of("the request queue needs io_uring, which is Linux-only");
        }
        return unavailable;
    }

    @Override
    public Optional<String> unsupported(IoCase c) {
        return c.kind() == IoCase.Kind.IDLE ? Optional.of("the same IoLoop as weft-ioqueue: measured there")
                : Optional.empty();
    }

    @Override
    public String open(IoFiles files) throws Exception {
        this.files = files;
        dir = Files.createTempDirectory("weft-bench-ioq");
        Files.writeString(dir.resolve("ioqueue.h"), QueueAbi.header());
        try (InputStream in = CQueueImpl.class.getResourceAsStream(SOURCE)) {
            if (in == null) {
                throw new IOException(SOURCE + " is missing from the bench's jar; rebuild weft-bench");
            }
            Files.write(dir.resolve(SOURCE), in.readAllBytes());
        }
        program = dir.resolve("ioq_bench");
        String out = run(List.of("gcc", "-O2", "-Wall", "-o", program.toString(), dir.resolve(SOURCE).toString()),
                Duration.ofSeconds(60));
        if (!Files.isExecutable(program)) {
            throw new IOException("gcc did not build " + SOURCE + ": " + out.strip());
        }
        Path shm = Path.of("/dev/shm");
        queueFile = (Files.isDirectory(shm) ? shm : dir).resolve("weft-bench-io-" + ProcessHandle.current().pid() + ".q");
        arena = Arena.ofShared();
        region = arena.allocate((long) QueueServer.DESTINATIONS * QueueServer.DESTINATION_BYTES, 4096);
        return "C producer (gcc -O2, ioqueue.h from weft's jar) in its own process" + (pin ? " on CPU 1" : "")
                + ", spinning; IoLoop (default back-off) in this JVM" + (pin ? " on CPU 0" : "") + ", queue "
                + queueFile.getParent() + "/..., " + QueueServer.SLOTS + " slots, a new queue and loop per measurement";
    }

    /** The producer's command line (without pinning) for one measurement of {@code c}. */
    List<String> command(IoCase c, Duration length, IoPlan plan) {
        List<String> cmd = new ArrayList<>(List.of(program.toString(), queueFile.toString(),
                Integer.toString(QueueServer.SLOTS)));
        if (c.kind() == IoCase.Kind.LATENCY) {
            cmd.addAll(List.of("latency", Integer.toString(QueueServer.DATA), Integer.toString(c.blockBytes()),
                    Long.toString(files.bytesOf(c)), Integer.toString(plan.busyRequests()),
                    Integer.toString(plan.idleRequests()), Long.toString(plan.idleGap().toNanos() / 1000)));
        } else {
            cmd.addAll(List.of("file", Integer.toString(QueueServer.source(c)),
                    Integer.toString(c.write() ? QueueAbi.OP_WRITE : QueueAbi.OP_READ), Integer.toString(c.blockBytes()),
                    Integer.toString(c.depth()), Long.toString(files.bytesOf(c)), c.random() ? "1" : "0",
                    Long.toString(Math.max(1, length.toMillis()))));
        }
        return cmd;
    }

    @Override
    public Map<String, Double> measure(IoCase c, Duration length, IoPlan plan) throws Exception {
        Files.deleteIfExists(queueFile);
        Duration limit = c.kind() == IoCase.Kind.LATENCY
                ? plan.idleGap().multipliedBy(plan.idleRequests() * 4L).plusSeconds(plan.busyRequests() / 10_000 + 30)
                : length.plusSeconds(30);
        try (IoQueue queue = IoQueue.map(queueFile, QueueServer.SLOTS);
             QueueServer server = QueueServer.start(queue, files, region, LOOP, pin ? "0" : null)) {
            List<String> cmd = new ArrayList<>();
            if (pin) {
                cmd.addAll(List.of("taskset", "-c", "1"));
            }
            cmd.addAll(command(c, length, plan));
            long cpu0 = server.cpuNanos();
            String out = run(cmd, limit);
            long cpu = server.cpuNanos() - cpu0;
            Map<String, Long> values = parse(out);
            if (c.kind() == IoCase.Kind.LATENCY) {
                Map<String, Double> m = new LinkedHashMap<>();
                for (String k : List.of(IoCase.P50, IoCase.P99, IoCase.P50_IDLE, IoCase.P99_IDLE)) {
                    m.put(k, (double) need(values, k, out));
                }
                return m;
            }
            return c.rates(need(values, "ops", out), need(values, "nanos", out), cpu);
        } finally {
            Files.deleteIfExists(queueFile);
        }
    }

    /** The {@code key=value} words of the producer's output line, values as longs. */
    static Map<String, Long> parse(String out) {
        Map<String, Long> m = new LinkedHashMap<>();
        for (String word : out.strip().split("\\s+")) {
            int eq = word.indexOf('=');
            if (eq > 0) {
                try {
                    m.put(word.substring(0, eq), Long.parseLong(word.substring(eq + 1)));
                } catch (NumberFormatException e) {
                    // not a count: ignore
                }
            }
        }
        return m;
    }

    private static long need(Map<String, Long> values, String key, String out) {
        Long v = values.get(key);
        if (v == null) {
            throw new IllegalStateException("the C producer printed no " + key + "=: '" + out.strip() + "'");
        }
        return v;
    }

    /** Runs {@code cmd}; its output, or an IOException with it when it fails or outlives {@code limit}. */
    private static String run(List<String> cmd, Duration limit) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        p.getOutputStream().close();
        if (!p.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
            p.destroyForcibly();
            throw new IOException(String.join(" ", cmd) + " did not end within " + limit);
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.exitValue() != 0) {
            throw new IOException(cmd.getFirst() + " exited " + p.exitValue() + ": " + out.strip());
        }
        return out;
    }

    @Override
    public void close() {
        if (arena != null) {
            arena.close();
        }
        try {
            if (queueFile != null) {
                Files.deleteIfExists(queueFile);
            }
            if (dir != null) {
                try (var s = Files.list(dir)) {
                    for (Path f : s.toList()) {
                        Files.deleteIfExists(f);
                    }
                }
                Files.deleteIfExists(dir);
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cleaning up " + dir, e);
        }
    }
}
