package dev.weft.bench.io;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * fio (Debian's {@code fio}) as a peer, in a process of its own per measurement, one job with
 * the case's block size and queue depth, its report read from {@code --output-format=json}
 * ({@link FioOutput}).
 *
 * <ul>
 *   <li>{@code fio-uring}: {@code ioengine=io_uring} with the options its documentation gives for
 *       speed that apply to a file: {@code registerfiles=1} (fixed files) and {@code fixedbufs=1}
 *       (registered buffers, {@code READ_FIXED}/{@code WRITE_FIXED}), {@code iodepth} of the case.
 *       Not {@code sqthread_poll}: a kernel thread polling the SQ would spend a second core the
 *       other implementations do not get; not {@code hipri}: polled completions need a polled
 *       block device queue, and the cached cases do not reach the device.</li>
 *   <li>{@code fio-psync}: {@code ioengine=psync} ({@code pread}/{@code pwrite}): a synchronous
 *       engine has one transfer in flight per job whatever {@code iodepth} says, so at the same
 *       job count (one) its queue-depth-32 cases run at depth 1. FileChannel on 32 threads is the
 *       peer that keeps 32 synchronous transfers in flight.</li>
 * </ul>
 * Every job: {@code invalidate=0} (fio drops the file's cached pages before a job by default),
 * {@code norandommap} and {@code randrepeat=0} (uniformly random blocks, as the weft side),
 * {@code time_based} for the measurement's length, {@code direct=1} for the direct cases.
 */
final class FioImpl implements IoImpl {

    /** fio's I/O engine. */
    enum Engine {
        /** io_uring with fixed files and buffers. */
        URING("fio-uring"),
        /** pread/pwrite. */
        PSYNC("fio-psync");

        final String impl;

        Engine(String impl) {
            this.impl = impl;
        }
    }

    /** The Debian package. */
    static final String PACKAGE = "fio";

    private final Engine engine;
    private final Optional<String> unavailable;
    private IoFiles files;

    /**
     * @param engine      the engine
     * @param unavailable why fio cannot run here (see {@link Tools#fio}), or empty
     */
    FioImpl(Engine engine, Optional<String> unavailable) {
        this.engine = engine;
        this.unavailable = unavailable;
    }

    @Override
    public String name() {
        return engine.impl;
    }

    @Override
    public Optional<String> unavailableReason() {
        return unavailable;
    }

    @Override
    public Optional<String> unsupported(IoCase c) {
        return c.kind() == IoCase.Kind.FILE ? Optional.empty()
                : Optional.of("a request-queue case: fio has no request queue");
    }

    @Override
    public String open(IoFiles files) throws IOException, InterruptedException {
        this.files = files;
        Process p = new ProcessBuilder("fio", "--version").redirectErrorStream(true).start();
        String version = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        p.waitFor(10, TimeUnit.SECONDS);
        return version + ", one job, " + String.join(" ", options(engine)) + " invalidate=0 norandommap randrepeat=0"
                + (engine == Engine.PSYNC ? " (a sync engine: one transfer in flight whatever the case's depth)" : "");
    }

    /** The engine's options. */
    static List<String> options(Engine engine) {
        return engine == Engine.URING ? List.of("--ioengine=io_uring", "--registerfiles=1", "--fixedbufs=1")
                : List.of("--ioengine=psync");
    }

    /** fio's command line for one measurement of {@code c} of {@code length}. */
    static List<String> command(Engine engine, IoCase c, IoFiles files, Duration length) {
        if (c.kind() != IoCase.Kind.FILE) {
            throw new IllegalArgumentException(c.id() + " is not a file case");
        }
        List<String> cmd = new ArrayList<>(List.of("fio", "--name=" + c.id(), "--filename=" + files.fileOf(c),
                "--size=" + files.bytesOf(c), "--rw=" + (c.random() ? (c.write() ? "randwrite" : "randread") : "read"),
                "--bs=" + c.blockBytes(), "--iodepth=" + c.depth(), "--numjobs=1", "--direct=" + (c.direct() ? 1 : 0),
                "--invalidate=0", "--norandommap", "--randrepeat=0", "--time_based=1",
                "--runtime=" + Math.max(1, length.toMillis()) + "ms", "--output-format=json"));
        cmd.addAll(options(engine));
        return cmd;
    }

    @Override
    public Map<String, Double> measure(IoCase c, Duration length, IoPlan plan) throws IOException, InterruptedException {
        List<String> cmd = command(engine, c, files, length);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(length.toMillis() + 30_000, TimeUnit.MILLISECONDS)) {
            p.destroyForcibly();
            throw new IOException("fio did not end within " + length.plusSeconds(30) + ": " + String.join(" ", cmd));
        }
        String text = new String(out, StandardCharsets.UTF_8);
        if (p.exitValue() != 0) {
            throw new IOException("fio exited " + p.exitValue() + ": " + text.strip().lines().limit(5).toList());
        }
        FioOutput o = FioOutput.parse(text);
        if (o.error() != 0) {
            throw new IOException("fio's job ended with error " + o.error() + " (an errno)");
        }
        double perSecond = c.write() ? o.writeIops() : o.readIops();
        double bytesPerSecond = c.write() ? o.writeBw() : o.readBw();
        Map<String, Double> m = new LinkedHashMap<>();
        m.put(c.headline(), c.random() ? perSecond : bytesPerSecond);
        double cpu = o.cpuMicrosPerOp();
        if (cpu >= 0) {
            m.put(IoCase.CPU_PER_OP, cpu);
        }
        return m;
    }

    @Override
    public void close() {
    }
}
