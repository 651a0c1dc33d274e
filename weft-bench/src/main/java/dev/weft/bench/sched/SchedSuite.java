package dev.weft.bench.sched;

import dev.weft.bench.BenchSuite;
import dev.weft.bench.CaseProgress;
import dev.weft.bench.FailureLine;
import dev.weft.bench.HeapGauge;
import dev.weft.bench.JvmActivity;
import dev.weft.bench.LatinSquare;
import dev.weft.bench.MachineLoad;
import dev.weft.bench.Result;
import dev.weft.bench.ResultTable;
import dev.weft.bench.Samples;
import dev.weft.bench.SuiteReport;
import org.HdrHistogram.Histogram;

import java.io.PrintWriter;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

/**
 * The sched suite: the same workloads on weft's scheduler ({@code weft}), on JDK virtual threads
 * with their default scheduler ({@code jdk-vt}) and on a ForkJoinPool ({@code fjp}), in one JVM,
 * with the same parallelism (the available processors) and the same heap.
 *
 * <h2>Method</h2>
 * <ol>
 *   <li>Each implementation is created and checked with a small skynet; one that cannot run is
 *       reported as skipped in every case, with the reason.</li>
 *   <li>Throughput cases ({@link SchedCase.Kind#THROUGHPUT}): warm-up rounds, then measured
 *       rounds ({@link SchedPlan}). A round runs every case on every implementation, one
 *       measurement at a time, implementations in the order of a row of a {@link LatinSquare}, the
 *       next row every round. A measurement is one run of the workload: {@link System#gc()}
 *       first (so no implementation collects another's garbage), then the wall time from
 *       submitting the root task to having its result, on a fresh driver thread.</li>
 *   <li>Every result is checked against {@link SchedCase#expected}: a wrong one marks that
 *       (case, impl) failed, is printed as {@code WRONG RESULT}, and fails the whole run once
 *       the table is printed.</li>
 *   <li>A measurement that does not end within {@link SchedPlan#timeout()} is abandoned (its
 *       root cancelled, its pool dropped: {@link SchedImpl#abandon()}) and that (case, impl) is
 *       reported as failed with the reason; the rest of the suite goes on.</li>
 *   <li>Timer, then memory cases, implementations alternating the same way.</li>
 *   <li>Each metric is the median over measured rounds, with min and max; the report says what
 *       the garbage collector did per (case, impl) and how much CPU other processes used.</li>
 * </ol>
 */
public final class SchedSuite implements BenchSuite {

    /** The suite name. */
    public static final String NAME = "sched";

    /** weft, then its peers; the table keeps this order. */
    public static final List<String> IMPLS = List.of(WeftSched.POOLED, WeftSched.DEDICATED, "jdk-vt", "fjp");

    /**
     * The weft implementations each peer's ratios refer to, like for like first: POOLED tasks
     * ({@code weft}) against a ForkJoinPool, DEDICATED tasks ({@code weft-dedicated}) against JDK
     * virtual threads, and, as before, POOLED tasks against virtual threads too.
     */
    public static final Map<String, List<String>> REFERENCES = Map.of("fjp", List.of(WeftSched.POOLED),
            "jdk-vt", List.of(WeftSched.DEDICATED, WeftSched.POOLED), WeftSched.DEDICATED, List.of());

    /** Creates one implementation with {@code parallelism} workers. */
    @FunctionalInterface
    public interface ImplFactory {
        /** @throws Exception when the implementation cannot be created here */
        SchedImpl create(String impl, int parallelism) throws Exception;
    }

    /**
     * What the plan runs for one (case, impl): measured, or skipped with the reason.
     *
     * @param sched   the case
     * @param impl    the implementation
     * @param skipped why it does not run; empty if it does
     */
    public record Planned(SchedCase sched, String impl, Optional<String> skipped) {
    }

    /** How long an abandoned driver may take to end once interrupted. */
    private static final Duration GRACE = Duration.ofSeconds(5);
    /**
     * After the last held task counted itself blocked, time for it to reach its park: a task
     * counts down just before it parks, on the same worker, so at most one task per worker is in
     * between, for microseconds.
     */
    private static final long SETTLE_MILLIS = 10;
    /** Heap a held task may take at most, for the check that the heap can hold them all. */
    private static final long HEAP_PER_HELD_TASK = 3_000;
    private static final long HEAP_HEADROOM = 256L << 20;
    /** The tasks of the check that every implementation can run. */
    private static final int CHECK_LEAVES_POWER = 3;

    private final List<String> impls;
    private final ImplFactory factory;
    private final SchedPlan quickPlan;
    private final SchedPlan fullPlan;
    private final int parallelism = java.lang.Runtime.getRuntime().availableProcessors();

    /** weft, jdk-vt and fjp with the standard plans. */
    public SchedSuite() {
        this(IMPLS, SchedSuite::standardImpl, SchedPlan.QUICK, SchedPlan.FULL);
    }

    /**
     * @param impls     implementation names, {@code weft} first; the table keeps this order
     * @param factory   creates each implementation
     * @param quickPlan the plan of {@code --quick}
     * @param fullPlan  the plan otherwise
     */
    public SchedSuite(List<String> impls, ImplFactory factory, SchedPlan quickPlan, SchedPlan fullPlan) {
        this.impls = List.copyOf(impls);
        this.factory = Objects.requireNonNull(factory, "factory");
        this.quickPlan = Objects.requireNonNull(quickPlan, "quickPlan");
        this.fullPlan = Objects.requireNonNull(fullPlan, "fullPlan");
    }

    /**
     * The implementation of that name: {@code weft}, {@code jdk-vt} or {@code fjp}.
     *
     * @throws IllegalArgumentException for any other name
     */
    public static SchedImpl standardImpl(String impl, int parallelism) {
        return switch (impl) {
            case WeftSched.POOLED -> new WeftSched(parallelism);
            case WeftSched.DEDICATED -> new WeftSched(parallelism, dev.weft.task.TaskKind.DEDICATED);
            case "jdk-vt" -> new VirtualThreadSched();
            case "fjp" -> new ForkJoinSched(parallelism);
            default -> throw new IllegalArgumentException("no sched implementation '" + impl
                    + "'; known: " + String.join(", ", IMPLS));
        };
    }

    /** Every (case, impl) and whether it runs: the same in quick and full mode. */
    public static List<Planned> plan(List<SchedImpl> impls) {
        List<Planned> planned = new ArrayList<>();
        for (SchedCase c : SchedCase.values()) {
            for (SchedImpl impl : impls) {
                planned.add(new Planned(c, impl.name(), impl.unsupported(c)));
            }
        }
        return planned;
    }

    @Override
    public Map<String, List<String>> references() {
        return REFERENCES;
    }

    @Override
    public SuiteReport run(boolean quick, PrintWriter table, PrintWriter progress) {
        SchedPlan plan = quick ? quickPlan : fullPlan;
        SuiteRun run = new SuiteRun(plan, progress);
        progress.printf(Locale.ROOT, "sched: %d warm-up + up to %d measured rounds, %d timer rounds,"
                        + " %d memory rounds; %s%n", plan.warmupRounds(), plan.rounds(), plan.timerRounds(),
                plan.memoryRounds(), plan.sizes().describe());
        progress.flush();
        int rounds;
        JvmActivity measuredJvm;
        try {
            run.open();
            run.warmUp();
            JvmActivity measuredStart = JvmActivity.now();
            rounds = run.measure();
            measuredJvm = JvmActivity.now().since(measuredStart);
            run.timer();
            run.memory();
        } finally {
            run.closeImpls();
        }
        String load = MachineLoad.describeSince(run.loadAtStart);
        progress.println("sched: " + load);
        progress.flush();

        SuiteReport report = SuiteReport.ofThisJvm(NAME, quick, run.results());
        table.printf(Locale.ROOT, "weft bench sched%s: median of %d measured rounds (of %d planned) after %d"
                        + " warm-up round%s, implementation order by the rows of a Latin square; one JVM (jdk %s,"
                        + " %d cpus).%n", quick ? " --quick" : "", rounds, plan.rounds(),
                plan.warmupRounds(), plan.warmupRounds() == 1 ? "" : "s", report.jdk(), report.cpus());
        table.printf(Locale.ROOT, "parallelism %d for all: weft workers, fjp parallelism, jdk-vt default"
                + " scheduler (jdk.virtualThreadScheduler.parallelism=%s). Same heap for all: %s.%n",
                parallelism, System.getProperty("jdk.virtualThreadScheduler.parallelism",
                        "unset, so " + parallelism), heap());
        table.printf(Locale.ROOT, "per measurement: %s.%n", plan.sizes().describe());
        table.println("time = wall time from submitting the root task to having its result, after a"
                + " System.gc(); throughput = operations / time.");
        table.println(load);
        table.println("JVM during the measured throughput rounds: " + measuredJvm);
        table.println();
        table.println("like for like: weft (POOLED tasks, no thread per task, joined inline) against fjp;"
                + " weft-dedicated (DEDICATED tasks, a virtual thread each) against jdk-vt; weft against jdk-vt"
                + " is kept as well, but is not like for like.");
        table.print(ResultTable.render(report, REFERENCES));
        table.println();
        table.print(run.gcTable());
        table.println();
        table.print(run.timerDetail());
        table.print(run.memoryDetail());
        for (String note : run.notes) {
            table.println("note: " + note);
        }
        table.println();
        table.print(SchedTargets.render(report));
        table.printf(Locale.ROOT, "%nwall time: %.1f s%n", (System.nanoTime() - run.started) / 1e9);
        if (!run.wrong.isEmpty()) {
            table.println();
            table.println("WRONG RESULTS (a scheduler lost or duplicated work; the figures above are"
                    + " not valid for these):");
            run.wrong.forEach(w -> table.println("  " + w));
        }
        table.flush();
        if (!run.wrong.isEmpty()) {
            throw new IllegalStateException("sched: " + run.wrong.size() + " wrong result"
                    + (run.wrong.size() == 1 ? "" : "s") + ": " + String.join("; ", run.wrong));
        }
        return report;
    }

    private static String heap() {
        String gcs = ManagementFactory.getGarbageCollectorMXBeans().stream()
                .map(GarbageCollectorMXBean::getName).collect(Collectors.joining(", "));
        return String.format(Locale.ROOT, "max %,d MB (-Xmx; ./weft passes WEFT_JAVA_OPTS), collectors %s",
                java.lang.Runtime.getRuntime().maxMemory() >> 20, gcs);
    }

    /** A measurement's root result and wall time. */
    private record Timed(long value, long nanos) {
    }

    /** The state of one run of the suite. */
    private final class SuiteRun {
        final SchedPlan plan;
        final SchedSizes sizes;
        final PrintWriter progress;
        final long started = System.nanoTime();
        final Optional<MachineLoad> loadAtStart = MachineLoad.now();
        final Map<String, SchedImpl> ready = new LinkedHashMap<>();
        final Samples samples = new Samples();
        final Map<String, JvmActivity> jvm = new HashMap<>(); // key -> summed over measured rounds
        final Map<String, Integer> measurements = new HashMap<>(); // key -> measured rounds
        final Map<String, TimerLateness> lateness = new LinkedHashMap<>(); // impl -> all measured rounds
        final List<String> wrong = new ArrayList<>();
        final List<String> notes = new ArrayList<>();

        SuiteRun(SchedPlan plan, PrintWriter progress) {
            this.plan = plan;
            this.sizes = plan.sizes();
            this.progress = progress;
        }

        /** Creates and checks every implementation; one that fails is unavailable. */
        void open() {
            int checkLeaves = (int) Math.pow(sizes.skynetFanOut(), CHECK_LEAVES_POWER);
            SchedSizes check = new SchedSizes(checkLeaves, sizes.skynetFanOut(), 1, 1, 1, 1, 1, 1, 1,
                    1, 1, 1);
            for (String name : impls) {
                SchedImpl impl = null;
                try {
                    impl = factory.create(name, parallelism);
                    SchedImpl i = impl;
                    Timed t = onDriver(i, "check", plan.timeout(), () -> new Timed(SchedCase.SKYNET.run(i, check), 0));
                    long expected = SchedCase.SKYNET.expected(check);
                    if (t.value() != expected) {
                        String what = "skynet of " + checkLeaves + " leaves computed " + t.value()
                                + ", expected " + expected;
                        wrong.add(name + " in the check: " + what);
                        samples.unavailable(name, "WRONG RESULT in the check: " + what);
                        progress.println("sched: WRONG RESULT: " + name + " in the check: " + what);
                        impl.abandon();
                        continue;
                    }
                    ready.put(name, impl);
                } catch (Throwable e) {
                    samples.unavailable(name, "cannot run here: " + FailureLine.of(e));
                    progress.println("sched: " + name + " skipped: " + FailureLine.of(e));
                    if (impl != null) {
                        impl.abandon();
                    }
                }
            }
        }

        void warmUp() {
            for (int r = 0; r < plan.warmupRounds(); r++) {
                round("warm-up " + (r + 1) + "/" + plan.warmupRounds(), order(r), false);
            }
        }

        /**
         * Measured throughput rounds, until the plan's count or until one more would cut into
         * the reserve for the timer and memory cases (at least one runs).
         */
        int measure() {
            int rounds = 0;
            long longest = 0;
            long limit = plan.budget().minus(plan.reserve()).toNanos();
            while (rounds < plan.rounds()) {
                if (rounds >= Math.min(SchedPlan.MIN_ROUNDS, plan.rounds())
                        && System.nanoTime() - started + longest > limit) {
                    progress.printf(Locale.ROOT, "sched: stopping after %d of %d measured rounds: one"
                            + " more would leave less than %d s of the %d s budget%n", rounds,
                            plan.rounds(), plan.reserve().toSeconds(), plan.budget().toSeconds());
                    break;
                }
                long roundStart = System.nanoTime();
                round("round " + (rounds + 1) + "/" + plan.rounds(), order(rounds + plan.warmupRounds()), true);
                longest = Math.max(longest, System.nanoTime() - roundStart);
                rounds++;
            }
            return rounds;
        }

        /** One round of every throughput case on every implementation, in {@code order}. */
        void round(String label, List<String> order, boolean keep) {
            long roundStart = System.nanoTime();
            JvmActivity before = JvmActivity.now();
            List<String> times = new ArrayList<>();
            for (SchedCase c : SchedCase.of(SchedCase.Kind.THROUGHPUT)) {
                for (String name : order) {
                    CaseProgress.measuring(label, c.id(), name);
                    Optional<Timed> t = throughput(c, name, label, keep);
                    t.ifPresent(timed -> times.add(String.format(Locale.ROOT, "%s/%s %.0f ms", c.id(),
                            name, timed.nanos() / 1e6)));
                }
            }
            progress.printf(Locale.ROOT, "sched: %s done in %.1f s (%s; order: %s): %s%n", label,
                    (System.nanoTime() - roundStart) / 1e9, JvmActivity.now().since(before),
                    String.join(", ", order), String.join(", ", times));
            progress.flush();
        }

        /** One measurement of a throughput case; empty if it did not run or failed. */
        Optional<Timed> throughput(SchedCase c, String name, String label, boolean keep) {
            SchedImpl impl = runnable(c, name);
            if (impl == null) {
                return Optional.empty();
            }
            System.gc();
            JvmActivity before = JvmActivity.now();
            try {
                Timed t = onDriver(impl, c.id(), plan.timeout(), () -> {
                    long start = System.nanoTime();
                    long value = c.run(impl, sizes);
                    return new Timed(value, System.nanoTime() - start);
                });
                JvmActivity during = JvmActivity.now().since(before);
                long expected = c.expected(sizes);
                if (t.value() != expected) {
                    wrongResult(c, name, label, "computed " + t.value() + ", expected " + expected);
                    return Optional.empty();
                }
                if (keep) {
                    double seconds = t.nanos() / 1e9;
                    keep(c, name, SchedCase.TIME, t.nanos());
                    keep(c, name, SchedCase.THROUGHPUT_METRIC, c.operations(sizes) / seconds);
                    keepJvm(key(c, name), during);
                }
                return Optional.of(t);
            } catch (Throwable e) {
                fail(c, name, label, e);
                return Optional.empty();
            }
        }

        /** Timer rounds: one warm-up with a tenth of the sleeps, then the measured ones. */
        void timer() {
            int sleepsEach = sizes.timerSleepsEach();
            for (int r = 0; r <= plan.timerRounds(); r++) {
                boolean keep = r > 0;
                String label = keep ? "timer round " + r + "/" + plan.timerRounds() : "timer warm-up";
                long seed = 0x5eed_0000L + r * 1_000L;
                List<String> lines = new ArrayList<>();
                for (String name : order(r)) {
                    SchedImpl impl = runnable(SchedCase.TIMER, name);
                    if (impl == null) {
                        continue;
                    }
                    int sleeps = keep ? sleepsEach : Math.max(1, sleepsEach / 10);
                    timerOnce(impl, sleeps, seed, label, keep).ifPresent(h -> lines.add(String.format(
                            Locale.ROOT, "%s p50 %.0f µs p99 %.0f µs", name,
                            h.getValueAtPercentile(50) / 1e3, h.getValueAtPercentile(99) / 1e3)));
                }
                progress.println("sched: " + label + ": " + String.join(", ", lines));
                progress.flush();
            }
        }

        Optional<Histogram> timerOnce(SchedImpl impl, int sleepsEach, long seed, String label, boolean keep) {
            SchedCase c = SchedCase.TIMER;
            String name = impl.name();
            TimerLateness round = new TimerLateness();
            int sleepers = sizes.timerSleepers();
            System.gc();
            JvmActivity before = JvmActivity.now();
            try {
                long sleeps = onDriver(impl, "timer", plan.timeout(),
                        () -> impl.sleepLateness(sleepers, sleepsEach, seed, round));
                JvmActivity during = JvmActivity.now().since(before);
                long expected = (long) sleepers * sleepsEach;
                Histogram h = round.histogram();
                if (sleeps != expected || h.getTotalCount() != expected) {
                    wrongResult(c, name, label, "did " + sleeps + " sleeps and recorded " + h.getTotalCount()
                            + ", expected " + expected);
                    return Optional.empty();
                }
                if (keep) {
                    keep(c, name, "p50", h.getValueAtPercentile(50));
                    keep(c, name, "p99", h.getValueAtPercentile(99));
                    keep(c, name, "max", h.getMaxValue());
                    keepJvm(key(c, name), during);
                    lateness.computeIfAbsent(name, k -> new TimerLateness()).add(round);
                }
                return Optional.of(h);
            } catch (Throwable e) {
                fail(c, name, label, e);
                return Optional.empty();
            }
        }

        /** Memory rounds: each memory case on each implementation. */
        void memory() {
            int tasks = sizes.heldTasks();
            long needed = tasks * HEAP_PER_HELD_TASK + HEAP_HEADROOM;
            long max = java.lang.Runtime.getRuntime().maxMemory();
            if (max < needed) {
                String reason = String.format(Locale.ROOT, "the heap (max %,d MB) is too small to hold %,d"
                        + " blocked tasks safely (%,d MB); rerun with WEFT_JAVA_OPTS=-Xmx%dg", max >> 20,
                        tasks, needed >> 20, (needed >> 30) + 1);
                for (SchedCase c : SchedCase.of(SchedCase.Kind.MEMORY)) {
                    for (String name : impls) {
                        samples.fail(c.id(), name, reason);
                    }
                }
                progress.println("sched: memory cases skipped: " + reason);
                return;
            }
            for (int r = 0; r < plan.memoryRounds(); r++) {
                String label = "memory round " + (r + 1) + "/" + plan.memoryRounds();
                List<String> lines = new ArrayList<>();
                for (SchedCase c : SchedCase.of(SchedCase.Kind.MEMORY)) {
                    for (String name : order(r)) {
                        SchedImpl impl = runnable(c, name);
                        if (impl != null) {
                            memoryOnce(c, impl, label).ifPresent(b -> lines.add(String.format(Locale.ROOT,
                                    "%s/%s %.0f B/task", c.id(), name, b)));
                        }
                    }
                }
                progress.println("sched: " + label + ": " + String.join(", ", lines));
                progress.flush();
            }
        }

        Optional<Double> memoryOnce(SchedCase c, SchedImpl impl, String label) {
            String name = impl.name();
            int tasks = sizes.heldTasks();
            SchedImpl.HeldTasks held = impl.hold(tasks, c == SchedCase.PARKED ? SchedImpl.Hold.LATCH
                    : SchedImpl.Hold.SLEEP);
            long baseline = HeapGauge.liveBytes();
            JvmActivity before = JvmActivity.now();
            boolean released = false;
            try {
                onDriver(impl, c.id() + " start", plan.timeout().plus(GRACE), () -> {
                    held.start(plan.timeout());
                    return null;
                });
                Thread.sleep(SETTLE_MILLIS);
                double perTask = (HeapGauge.liveBytes() - baseline) / (double) tasks;
                long ended = onDriver(impl, c.id() + " release", plan.timeout(), held::release);
                released = true;
                if (ended != tasks) {
                    wrongResult(c, name, label, ended + " of " + tasks + " held tasks ended after release");
                    return Optional.empty();
                }
                keep(c, name, SchedCase.BYTES_PER_TASK, perTask);
                keepJvm(key(c, name), JvmActivity.now().since(before));
                return Optional.of(perTask);
            } catch (Throwable e) {
                fail(c, name, label, e);
                if (!released) { // some tasks may be blocked still
                    releaseInBackground(held);
                }
                return Optional.empty();
            }
        }

        /** Lets tasks of a failed memory measurement end, without waiting for them. */
        void releaseInBackground(SchedImpl.HeldTasks held) {
            Thread.ofPlatform().name("weft-bench-sched-release").daemon(true).start(() -> {
                try {
                    held.release();
                } catch (Exception e) {
                    // the measurement is reported as failed already
                }
            });
        }

        /** The implementation if this (case, impl) is still to be measured, else null. */
        SchedImpl runnable(SchedCase c, String name) {
            SchedImpl impl = ready.get(name);
            if (impl == null || samples.isOut(c.id(), name) || impl.unsupported(c).isPresent()) {
                return null;
            }
            return impl;
        }

        void keep(SchedCase c, String impl, String metric, double value) {
            samples.keep(c.id(), impl, metric, value);
        }

        void keepJvm(String key, JvmActivity during) {
            jvm.merge(key, during, JvmActivity::plus);
            measurements.merge(key, 1, Integer::sum);
        }

        void fail(SchedCase c, String name, String label, Throwable e) {
            String reason = "failed in " + label + ": " + FailureLine.of(e);
            samples.fail(c.id(), name, reason);
            progress.println("sched: " + key(c, name) + " " + reason);
            progress.flush();
        }

        void wrongResult(SchedCase c, String name, String label, String what) {
            String line = key(c, name) + " in " + label + ": " + what;
            wrong.add(line);
            samples.fail(c.id(), name, "WRONG RESULT in " + label + ": " + what);
            progress.println("sched: WRONG RESULT: " + line);
            progress.flush();
        }

        /**
         * Runs {@code body} on a fresh driver thread and waits at most {@code timeout}; then
         * abandons the implementation's measurement and throws.
         */
        <T> T onDriver(SchedImpl impl, String what, Duration timeout, Callable<T> body) throws Exception {
            AtomicReference<T> result = new AtomicReference<>();
            AtomicReference<Throwable> failure = new AtomicReference<>();
            Thread driver = Thread.ofPlatform().name("weft-bench-sched-driver").daemon(true).start(() -> {
                try {
                    result.set(body.call());
                } catch (Throwable e) {
                    failure.set(e);
                }
            });
            if (!driver.join(timeout)) {
                String state = impl.state();
                impl.abandon();
                driver.interrupt();
                boolean ended = driver.join(GRACE);
                String message = what + " on " + impl.name() + " did not finish within "
                        + String.format(Locale.ROOT, "%.1f s", timeout.toMillis() / 1e3) + "; abandoned" + (ended ? ""
                        : ", and its driver did not end when interrupted (hung)");
                notes.add(message + ". Its tasks may still be running and disturb later measurements."
                        + (state.isEmpty() ? "" : " State when abandoned: " + state));
                if (!state.isEmpty()) {
                    progress.println("sched: " + impl.name() + " state when abandoned: " + state);
                }
                throw new TimeoutException(message);
            }
            Throwable e = failure.get();
            if (e != null) {
                switch (e) {
                    case Exception ex -> throw ex;
                    case Error err -> throw err;
                    default -> throw new IllegalStateException(e);
                }
            }
            return result.get();
        }

        void closeImpls() {
            for (SchedImpl impl : ready.values()) {
                impl.close();
            }
        }

        /**
         * Measured results per case, metric and impl, then a skipped entry per (case, impl) that
         * did not run.
         */
        List<Result> results() {
            return samples.results(List.of(SchedCase.values()), impls, (c, name) -> {
                SchedImpl impl = ready.get(name);
                return impl == null ? Optional.empty() : impl.unsupported(c);
            });
        }

        /** Garbage collections per measurement, per (case, impl), over the measured rounds. */
        String gcTable() {
            StringBuilder out = new StringBuilder("garbage collection per measurement (mean over the"
                    + " measured rounds; memory cases: from spawning to release, their own System.gc()"
                    + " calls included):\n");
            out.append(String.format(Locale.ROOT, "  %-14s", "case"));
            for (String name : impls) {
                out.append(String.format(Locale.ROOT, " %-24s", name));
            }
            out.append('\n');
            for (SchedCase c : SchedCase.values()) {
                out.append(String.format(Locale.ROOT, "  %-14s", c.id()));
                for (String name : impls) {
                    String key = key(c, name);
                    JvmActivity a = jvm.get(key);
                    String cell = "-";
                    if (a != null) {
                        double n = measurements.get(key);
                        cell = String.format(Locale.ROOT, "%.1f GCs, %.0f ms", a.gcCount() / n, a.gcMillis() / n);
                    }
                    out.append(String.format(Locale.ROOT, " %-24s", cell));
                }
                out.append('\n');
            }
            return out.toString();
        }

        /** Lateness over all measured timer rounds together, and early wake-ups. */
        String timerDetail() {
            StringBuilder out = new StringBuilder();
            for (Map.Entry<String, TimerLateness> e : lateness.entrySet()) {
                Histogram h = e.getValue().histogram();
                out.append(String.format(Locale.ROOT, "timer, %s, all measured rounds (%,d sleeps of 1-5 ms,"
                                + " %d at a time): lateness p50 %.0f µs, p99 %.0f µs, p99.9 %.0f µs, max %.0f µs;"
                                + " early wake-ups: %d%n", e.getKey(), h.getTotalCount(), sizes.timerSleepers(),
                        h.getValueAtPercentile(50) / 1e3, h.getValueAtPercentile(99) / 1e3,
                        h.getValueAtPercentile(99.9) / 1e3, h.getMaxValue() / 1e3, e.getValue().early()));
            }
            return out.toString();
        }

        /** What the memory figures include, and their size at the held task count. */
        String memoryDetail() {
            StringBuilder out = new StringBuilder();
            out.append(String.format(Locale.ROOT, "memory: live heap (after System.gc(), 3 times) with %,d"
                    + " tasks blocked minus before they were spawned, per task. It includes the task"
                    + " (weft: its task cell, which is also its join handle, and the virtual thread a"
                    + " parked POOLED task keeps; jdk-vt: the Thread), its stack chunk, and its queue"
                    + " node in the latch (parked) or its timer entry (timers-memory). The arrays of"
                    + " handles and the latches are allocated before the baseline.%n", sizes.heldTasks()));
            for (SchedCase c : SchedCase.of(SchedCase.Kind.MEMORY)) {
                for (String name : impls) {
                    List<Double> rounds = samples.rounds(c.id(), name, SchedCase.BYTES_PER_TASK);
                    if (!rounds.isEmpty()) {
                        double median = Result.measured(c.id(), name, "b", "B", false, rounds).value();
                        out.append(String.format(Locale.ROOT, "  %s, %s: %.0f B per task = %,.0f MB per 10^6%n",
                                c.id(), name, median, median));
                    }
                }
            }
            return out.toString();
        }
    }

    /** The order of the implementations in round {@code round}: a row of the {@link LatinSquare}. */
    private List<String> order(int round) {
        return LatinSquare.row(impls, round);
    }

    private static String key(SchedCase c, String impl) {
        return c.id() + "/" + impl;
    }
}
