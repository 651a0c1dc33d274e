package dev.weft.bench.io;

import dev.weft.bench.BenchSuite;
import dev.weft.bench.CaseProgress;
import dev.weft.bench.FailureLine;
import dev.weft.bench.LatinSquare;
import dev.weft.bench.MachineLoad;
import dev.weft.bench.ResultTable;
import dev.weft.bench.Samples;
import dev.weft.bench.SuiteReport;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The io suite: weft's file API ({@code weft-fs}) and request queue (a Java producer,
 * {@code weft-ioqueue}, and a C producer in another process, {@code weft-ioqueue-c}) against fio
 * with io_uring ({@code fio-uring}) and with pread/pwrite ({@code fio-psync}) and against
 * FileChannel on a thread pool ({@code filechannel}), on the cases of {@link IoCase}.
 *
 * <h2>Method</h2>
 * <ol>
 *   <li>The data file ({@link IoPlan#dataBytes()}, 1 GiB) is written under {@code java.io.tmpdir}
 *       (ext4 here, so O_DIRECT works; not tmpfs), flushed, and kept resident in the page cache
 *       for the whole run ({@link ResidentFile}: mapped and mlock-ed, or {@code vmtouch -l}, or,
 *       failing both, said in the report). The share of its pages resident is read with
 *       {@code mincore} before and after each case in each round and reported. The direct writes
 *       go to a second file ({@link IoPlan#writeBytes()}), since a direct write drops the
 *       cached pages it overwrites. Both files are deleted at the end.</li>
 *   <li>Each implementation is opened once; one that cannot run (fio or gcc missing and not
 *       installable, no io_uring) is listed as skipped in every case with the reason, and a case
 *       an implementation does not have is skipped with the reason too.</li>
 *   <li>Warm-up rounds of every (case, impl), then measured rounds; in a round, case after case,
 *       the implementations in the order of a row of a {@link LatinSquare}, the next row every
 *       round. A file case runs for {@link IoPlan#sample()}; one job keeps the case's queue depth
 *       of transfers in flight.</li>
 *   <li>A measurement that fails marks that (case, impl) failed with the first reason.</li>
 *   <li>Each figure is the median over the measured rounds, with min and max; the table gives
 *       each peer's ratio against weft-fs, weft-ioqueue and weft-ioqueue-c where they ran.</li>
 * </ol>
 * {@code cpu-per-op} is the CPU of the side that does the I/O per transfer: the JVM's (every
 * thread, from /proc) for weft-fs and filechannel, fio's own figure ({@code usr_cpu + sys_cpu}
 * over its run time) for fio, the IoLoop thread's (from /proc) for the queue, whose producer's
 * CPU is not counted. The queue's loop and producer are pinned to CPUs 0 and 1 with
 * {@code taskset} where there are two CPUs and taskset is installed ({@link #pinning()}).
 */
public final class IoSuite implements BenchSuite {

    /** The suite name. */
    public static final String NAME = "io";

    /** weft's implementations, then the peers; the table keeps this order. */
    public static final List<String> IMPLS = List.of(WeftFsImpl.NAME, WeftQueueImpl.NAME, CQueueImpl.NAME,
            FioImpl.Engine.URING.impl, FioImpl.Engine.PSYNC.impl, FileChannelImpl.NAME);

    /** The weft implementations each peer's ratios refer to: the file API first. */
    public static final Map<String, List<String>> REFERENCES = Map.of(
            WeftFsImpl.NAME, List.of(), WeftQueueImpl.NAME, List.of(), CQueueImpl.NAME, List.of(),
            FioImpl.Engine.URING.impl, List.of(WeftFsImpl.NAME, WeftQueueImpl.NAME, CQueueImpl.NAME),
            FioImpl.Engine.PSYNC.impl, List.of(WeftFsImpl.NAME, WeftQueueImpl.NAME, CQueueImpl.NAME),
            FileChannelImpl.NAME, List.of(WeftFsImpl.NAME, WeftQueueImpl.NAME, CQueueImpl.NAME));

    /** Creates the implementations of a run, in table order. */
    @FunctionalInterface
    interface ImplFactory {
        List<IoImpl> create(PrintWriter progress);
    }

    private final ImplFactory factory;
    private final IoPlan quickPlan;
    private final IoPlan fullPlan;
    private final Path directory;

    /** Every implementation of the issue, the standard plans, the files under {@code java.io.tmpdir}. */
    public IoSuite() {
        this(IoSuite::standardImpls, IoPlan.QUICK, IoPlan.FULL, Path.of(System.getProperty("java.io.tmpdir")));
    }

    IoSuite(ImplFactory factory, IoPlan quickPlan, IoPlan fullPlan, Path directory) {
        this.factory = Objects.requireNonNull(factory, "factory");
        this.quickPlan = Objects.requireNonNull(quickPlan, "quickPlan");
        this.fullPlan = Objects.requireNonNull(fullPlan, "fullPlan");
        this.directory = Objects.requireNonNull(directory, "directory");
    }

    /** The system property that turns the queue's pinning off: {@code -Dweft.bench.io.pin=false}. */
    public static final String PIN_PROPERTY = "weft.bench.io.pin";

    /**
     * Whether the queue's loop and producer are pinned: two CPUs or more, taskset installed, and
     * not turned off with {@link #PIN_PROPERTY} (to see what pinning costs on a machine that other
     * processes keep busy, where a pinned thread cannot move to the other CPU).
     */
    static boolean pinning() {
        return java.lang.Runtime.getRuntime().availableProcessors() >= 2 && Tools.onPath("taskset")
                && !"false".equals(System.getProperty(PIN_PROPERTY));
    }

    /**
     * The implementations, fio and gcc installed first if missing and this process may
     * ({@link Tools#ensure}).
     */
    static List<IoImpl> standardImpls(PrintWriter progress) {
        boolean pin = pinning();
        Optional<String> fio = Tools.ensure("fio", FioImpl.PACKAGE, progress);
        Optional<String> gcc = Tools.ensure("gcc", "gcc", progress);
        return List.of(new WeftFsImpl(), new WeftQueueImpl(pin), new CQueueImpl(pin, gcc),
                new FioImpl(FioImpl.Engine.URING, fio), new FioImpl(FioImpl.Engine.PSYNC, fio), new FileChannelImpl());
    }

    @Override
    public Map<String, List<String>> references() {
        return REFERENCES;
    }

    @Override
    public SuiteReport run(boolean quick, PrintWriter table, PrintWriter progress) {
        IoPlan plan = quick ? quickPlan : fullPlan;
        Run run = new Run(plan, progress);
        try {
            run.execute();
        } catch (IOException e) {
            throw new UncheckedIOException("io: " + e.getMessage(), e);
        }
        SuiteReport report = SuiteReport.ofThisJvm(NAME, quick, run.results());
        table.printf(Locale.ROOT, "weft bench io%s: median of %d measured rounds after %d warm-up round%s, order by the"
                        + " rows of a Latin square; jdk %s, %d cpus.%n", quick ? " --quick" : "", plan.rounds(),
                plan.warmupRounds(), plan.warmupRounds() == 1 ? "" : "s", report.jdk(), report.cpus());
        table.printf(Locale.ROOT, "file cases: %.1f s per measurement (warm-up %.1f s), one job each; queue-latency: %,d"
                        + " busy and %,d idle requests (pause %d µs) per measurement; idle-cpu over %.1f s.%n",
                plan.sample().toMillis() / 1e3, plan.warmup().toMillis() / 1e3, plan.busyRequests(),
                plan.idleRequests(), plan.idleGap().toNanos() / 1000, plan.idleWindow().toMillis() / 1e3);
        for (String line : run.notes) {
            table.println(line);
        }
        for (String line : run.configurations) {
            table.println(line);
        }
        table.println("cpu-per-op: CPU of the side doing the I/O per transfer (the JVM for weft-fs and filechannel,"
                + " fio's usr+sys for fio, the IoLoop thread for the queue, producer not counted).");
        table.println("queue-latency: p50/p99 busy (the next request as soon as the last completed), p50-idle/p99-idle"
                + " after a pause (the loop parked); the producers spin on the status word.");
        table.println(MachineLoad.describeSince(run.loadAtStart));
        table.println();
        table.print(ResultTable.render(report, REFERENCES));
        table.println();
        table.print(IoTargets.render(report));
        table.printf(Locale.ROOT, "%nwall time: %.1f s%n", (System.nanoTime() - run.started) / 1e9);
        table.flush();
        return report;
    }

    /** The state of one run. */
    private final class Run {
        final IoPlan plan;
        final PrintWriter progress;
        final long started = System.nanoTime();
        final Optional<MachineLoad> loadAtStart = MachineLoad.now();
        final Samples samples = new Samples();
        final Map<String, IoImpl> byName = new LinkedHashMap<>();
        final List<IoImpl> ready = new ArrayList<>();
        final List<String> configurations = new ArrayList<>();
        final List<String> notes = new ArrayList<>();
        /** Figures an implementation gave beside its case's metrics, by case/impl, in order. */
        final Map<String, List<String>> extras = new LinkedHashMap<>();
        /** Per case, the smallest resident share of the data file seen before or after it. */
        final Map<IoCase, Double> residency = new LinkedHashMap<>();

        Run(IoPlan plan, PrintWriter progress) {
            this.plan = plan;
            this.progress = progress;
        }

        void execute() throws IOException {
            List<IoImpl> impls = factory.create(progress);
            for (IoImpl impl : impls) {
                byName.put(impl.name(), impl);
            }
            Path dir = Files.createTempDirectory(directory, "weft-bench-io");
            try (ResidentFile data = ResidentFile.create(dir.resolve("data"), plan.dataBytes(), true);
                 ResidentFile write = ResidentFile.create(dir.resolve("write"), plan.writeBytes(), false)) {
                notes.add(String.format(Locale.ROOT, "data file: %,d MiB in %s, kept resident: %s; write file: %,d MiB"
                        + " beside it, not locked.", plan.dataBytes() >> 20, dir, data.how(), plan.writeBytes() >> 20));
                progress.printf(Locale.ROOT, "io: [%5.1f s] %s%n", (System.nanoTime() - started) / 1e9, notes.getLast());
                progress.flush();
                IoFiles files = new IoFiles(data.path(), data.bytes(), write.path(), write.bytes());
                open(impls, files);
                for (int r = 0; r < plan.warmupRounds(); r++) {
                    round("warm-up " + (r + 1) + "/" + plan.warmupRounds(), r, false, data);
                }
                for (int r = 0; r < plan.rounds(); r++) {
                    round("round " + (r + 1) + "/" + plan.rounds(), plan.warmupRounds() + r, true, data);
                }
                explain();
                notes.add("data file resident (mincore, smallest share before or after each case): "
                        + residency.entrySet().stream().map(e -> e.getKey().id() + " " + ResidentFile.percent(e.getValue()))
                        .collect(Collectors.joining(", ")));
            } finally {
                for (IoImpl impl : ready) {
                    try {
                        impl.close();
                    } catch (RuntimeException e) {
                        progress.println("io: closing " + impl.name() + ": " + FailureLine.of(e));
                    }
                }
                Files.deleteIfExists(dir);
            }
        }

        /**
         * A note per (case, impl) that gave figures beside its case's metrics (what an idle loop's
         * CPU is made of, say): their medians.
         */
        void explain() {
            for (IoCase c : IoCase.values()) {
                for (IoImpl impl : ready) {
                    List<String> figures = new ArrayList<>();
                    for (String extra : extras.getOrDefault(c.id() + "/" + impl.name(), List.of())) {
                        List<Double> rounds = samples.rounds(c.id(), impl.name(), extra);
                        if (!rounds.isEmpty() && !samples.isOut(c.id(), impl.name())) {
                            double median = dev.weft.bench.Result.measured(c.id(), impl.name(), extra, "-", false, rounds)
                                    .value();
                            figures.add(String.format(Locale.ROOT, "%s %.1f", extra, median));
                        }
                    }
                    if (!figures.isEmpty()) {
                        notes.add(c.id() + ", " + impl.name() + " (medians): " + String.join(", ", figures));
                    }
                }
            }
        }

        void open(List<IoImpl> impls, IoFiles files) {
            for (IoImpl impl : impls) {
                Optional<String> why = impl.unavailableReason();
                if (why.isPresent()) {
                    samples.unavailable(impl.name(), why.get());
                    configurations.add(String.format(Locale.ROOT, "%-16s skipped: %s", impl.name() + ":", why.get()));
                    continue;
                }
                try {
                    String config = impl.open(files);
                    ready.add(impl);
                    configurations.add(String.format(Locale.ROOT, "%-16s %s", impl.name() + ":", config));
                } catch (Throwable e) {
                    String reason = "cannot run here: " + FailureLine.of(e);
                    samples.unavailable(impl.name(), reason);
                    configurations.add(String.format(Locale.ROOT, "%-16s skipped: %s", impl.name() + ":", reason));
                    try {
                        impl.close();
                    } catch (RuntimeException closing) {
                        e.addSuppressed(closing);
                    }
                }
            }
            for (String line : configurations) {
                progress.println("io: " + line);
            }
            progress.flush();
        }

        void round(String label, int row, boolean keep, ResidentFile data) throws IOException {
            Duration length = keep ? plan.sample() : plan.warmup();
            for (IoCase c : IoCase.values()) {
                if (!keep && c.kind() == IoCase.Kind.IDLE) {
                    continue; // nothing to warm: the loop is idle
                }
                resident(c, data);
                List<String> line = new ArrayList<>();
                for (IoImpl impl : LatinSquare.row(ready, row)) {
                    if (samples.isOut(c.id(), impl.name()) || impl.unsupported(c).isPresent()) {
                        continue;
                    }
                    CaseProgress.measuring(label, c.id(), impl.name());
                    try {
                        Map<String, Double> m = impl.measure(c, length, plan);
                        if (keep) {
                            m.forEach((metric, v) -> samples.keep(c.id(), impl.name(), metric, v));
                            m.keySet().stream().filter(k -> c.metrics().stream().noneMatch(x -> x.name().equals(k)))
                                    .forEach(k -> {
                                        List<String> known = extras.computeIfAbsent(c.id() + "/" + impl.name(),
                                                x -> new ArrayList<>());
                                        if (!known.contains(k)) {
                                            known.add(k);
                                        }
                                    });
                        }
                        line.add(impl.name() + " " + ResultTable.quantity(m.getOrDefault(c.headline(), Double.NaN),
                                c.metrics().getFirst().unit()));
                    } catch (Throwable e) {
                        String reason = "failed in " + label + ": " + FailureLine.of(e);
                        samples.fail(c.id(), impl.name(), reason);
                        line.add(impl.name() + " FAILED: " + FailureLine.of(e));
                    }
                }
                resident(c, data);
                progress.printf(Locale.ROOT, "io: [%5.1f s] %s %s: %s%n", (System.nanoTime() - started) / 1e9, label,
                        c.id(), String.join(", ", line));
                progress.flush();
            }
        }

        void resident(IoCase c, ResidentFile data) throws IOException {
            double share = data.residentShare();
            residency.merge(c, share, Math::min);
        }

        List<dev.weft.bench.Result> results() {
            return samples.results(List.of(IoCase.values()), List.copyOf(byName.keySet()),
                    (c, impl) -> byName.get(impl).unsupported(c));
        }
    }
}
