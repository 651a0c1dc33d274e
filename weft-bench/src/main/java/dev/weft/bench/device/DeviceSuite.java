package dev.weft.bench.device;

import dev.weft.bench.BenchSuite;
import dev.weft.bench.CaseProgress;
import dev.weft.bench.FailureLine;
import dev.weft.bench.JvmActivity;
import dev.weft.bench.CoreToCore;
import dev.weft.bench.MachineLoad;
import dev.weft.bench.Metric;
import dev.weft.bench.Result;
import dev.weft.bench.ResultTable;
import dev.weft.bench.Samples;
import dev.weft.bench.SuiteReport;
import dev.weft.bench.device.runner.ServiceRunners;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

/**
 * The device suite: weft's device runner against the same runner design over four peer channels
 * (ArrayBlockingQueue, the Disruptor, JCTools, Agrona), in one JVM.
 *
 * <h2>Method</h2>
 * <ol>
 *   <li>Each implementation gets its own copy of the workload and runner classes
 *       ({@link ImplClassLoader}) and is checked with one task; one that cannot run is reported
 *       as skipped for every case.</li>
 *   <li>Warm-up rounds until the JIT has settled ({@link DevicePlan}), then measured rounds until the plan's count or time budget is reached.
 *       A round runs every case for every implementation,
 *       one measurement at a time, in the order of {@link #impls} in even rounds and the reverse
 *       in odd ones, so that no implementation always runs first or last.</li>
 *   <li>A measurement runs on a fresh driver thread with a fresh runner, which it stops and joins
 *       before returning. A measurement that throws (a lost task included), outlives
 *       {@link DevicePlan#timeout()}, or leaves a runner or producer thread alive marks that
 *       (case, impl) skipped with the reason; the other rounds go on.</li>
 *   <li>Each metric is reported as the median over measured rounds, with min and max, and the
 *       report says how much CPU other processes used meanwhile ({@link MachineLoad}).</li>
 * </ol>
 */
public final class DeviceSuite implements BenchSuite {

    /** Creates the driver of one implementation. */
    @FunctionalInterface
    public interface DriverFactory {
        /** @throws Exception when the implementation cannot be loaded */
        WorkloadDriver create(String impl) throws Exception;
    }

    /** The suite name. */
    public static final String NAME = "device";

    private static final String WORKLOADS_CLASS = "dev.weft.bench.device.workload.Workloads";
    /** Thread names of runners and producers: none may outlive its measurement. */
    private static final List<String> MEASUREMENT_THREADS =
            List.of("weft-device-", "weft-bench-peer-", "weft-bench-producer-", "weft-bench-driver");

    /** How long a cancelled measurement may take to end before it counts as hung. */
    private static final long CANCEL_GRACE_MILLIS = 10_000;

    private final List<String> impls;
    private final DriverFactory drivers;
    private final DevicePlan quickPlan;
    private final DevicePlan fullPlan;
    /** Threads of measurements that hung: reported once, not again by later leak checks. */
    private final Set<Thread> abandoned = new HashSet<>();

    /** weft and every peer, each in its own class loader, with the standard plans. */
    public DeviceSuite() {
        this(ServiceRunners.IMPLS, DeviceSuite::isolatedDriver, DevicePlan.QUICK, DevicePlan.FULL);
    }

    /**
     * @param impls     implementation names, {@code weft} first; the table keeps this order
     * @param drivers   creates each implementation's driver
     * @param quickPlan the plan of {@code --quick}
     * @param fullPlan  the plan otherwise
     */
    public DeviceSuite(List<String> impls, DriverFactory drivers, DevicePlan quickPlan,
                       DevicePlan fullPlan) {
        this.impls = List.copyOf(impls);
        this.drivers = Objects.requireNonNull(drivers, "drivers");
        this.quickPlan = Objects.requireNonNull(quickPlan, "quickPlan");
        this.fullPlan = Objects.requireNonNull(fullPlan, "fullPlan");
    }

    /** A driver of {@code impl} whose workload and runner classes are its own copies. */
    public static WorkloadDriver isolatedDriver(String impl) throws ReflectiveOperationException {
        ClassLoader loader = new ImplClassLoader(impl, DeviceSuite.class.getClassLoader());
        Class<?> workloads = Class.forName(WORKLOADS_CLASS, true, loader);
        return (WorkloadDriver) workloads.getConstructor(String.class).newInstance(impl);
    }

    @Override
    public SuiteReport run(boolean quick, PrintWriter table, PrintWriter progress) {
        DevicePlan plan = quick ? quickPlan : fullPlan;
        SuiteRun run = new SuiteRun(plan, progress);
        progress.printf(Locale.ROOT, "device: %d to %d warm-up + up to %d measured rounds of %s%n",
                plan.warmupRounds(), plan.maxWarmupRounds(), plan.rounds(), sizes(plan));
        progress.flush();
        run.openDrivers();
        int warmups = run.warmUp();
        JvmActivity measuredStart = JvmActivity.now();
        int rounds = run.measure();
        JvmActivity measuredJvm = JvmActivity.now().since(measuredStart);
        String load = MachineLoad.describeSince(run.loadAtStart);
        progress.println("device: " + load);
        progress.flush();
        double coreToCore = CoreToCore.roundTripNanos();

        SuiteReport report = SuiteReport.ofThisJvm(NAME, quick, run.results());
        table.printf(Locale.ROOT, "weft bench device%s: median of %d measured rounds (of %d planned)"
                        + " after %d warm-up round%s, implementation order reversed every round;"
                        + " one JVM (jdk %s, %d cpus), each implementation's runner and workload"
                        + " classes loaded separately.%n",
                quick ? " --quick" : "", rounds, plan.rounds(), warmups,
                warmups == 1 ? "" : "s", report.jdk(), report.cpus());
        table.printf(Locale.ROOT, "per measurement: %s. Peers run weft's runner design (batches of"
                + " 32, 64 slots, Backoff.DEFAULT, parked flag + unpark); only the channel differs.%n",
                sizes(plan));
        table.println(load);
        table.printf(Locale.ROOT, "core-to-core round trip (two threads handing a counter back and"
                + " forth): %.0f ns; every figure below is bound by it%n", coreToCore);
        table.println("JVM during the measured rounds: " + measuredJvm);
        table.println();
        table.print(ResultTable.render(report));
        table.println();
        table.print(DeviceTargets.render(report));
        table.printf(Locale.ROOT, "%nwall time: %.1f s%n", (System.nanoTime() - run.started) / 1e9);
        table.flush();
        return report;
    }

    /** The state of one run of the suite. */
    private final class SuiteRun {
        final DevicePlan plan;
        final PrintWriter progress;
        final long started = System.nanoTime();
        final Optional<MachineLoad> loadAtStart = MachineLoad.now();
        final Map<String, WorkloadDriver> ready = new LinkedHashMap<>();
        final Samples samples = new Samples();

        SuiteRun(DevicePlan plan, PrintWriter progress) {
            this.plan = plan;
            this.progress = progress;
        }

        /** Creates and checks every implementation's driver; one that fails is unavailable. */
        void openDrivers() {
            for (String impl : impls) {
                try {
                    WorkloadDriver driver = drivers.create(impl);
                    runTimed(plan, driver, () -> {
                        driver.check();
                        return Map.of();
                    });
                    ready.put(impl, driver);
                } catch (Throwable e) {
                    samples.unavailable(impl, "cannot run here: " + describe(e));
                    progress.println("device: " + impl + " skipped: " + describe(e));
                }
            }
        }

        /**
         * Warm-up rounds: the plan's minimum, then more while the JIT has not settled, the plan's
         * maximum allows it, and the budget leaves room for measured rounds after.
         *
         * @return the number of warm-up rounds run
         */
        int warmUp() {
            int warmups = 0;
            long longest = 0;
            while (warmups < plan.maxWarmupRounds()) {
                if (warmups >= plan.warmupRounds()
                        && System.nanoTime() - started + 2 * longest > plan.budget().toNanos()) {
                    progress.println("device: ending warm-up unsettled: the budget leaves room for"
                            + " measured rounds only");
                    break;
                }
                long roundStart = System.nanoTime();
                JvmActivity before = JvmActivity.now();
                round("warm-up " + (warmups + 1), order(warmups), false);
                warmups++;
                long roundNanos = System.nanoTime() - roundStart;
                longest = Math.max(longest, roundNanos);
                long jitMillis = JvmActivity.now().since(before).jitMillis();
                boolean settled = jitMillis <= DevicePlan.SETTLED_JIT_SHARE * roundNanos / 1e6;
                if (warmups >= plan.warmupRounds() && settled) {
                    break;
                }
            }
            return warmups;
        }

        /**
         * Measured rounds, until the plan's count or until one more would exceed the budget (at
         * least one runs).
         *
         * @return the number of measured rounds run
         */
        int measure() {
            int rounds = 0;
            long longest = 0;
            while (rounds < plan.rounds()) {
                if (rounds >= Math.min(DevicePlan.MIN_ROUNDS, plan.rounds())
                        && System.nanoTime() - started + longest > plan.budget().toNanos()) {
                    progress.printf(Locale.ROOT, "device: stopping after %d of %d rounds: one more"
                            + " would exceed the %d s budget%n", rounds, plan.rounds(),
                            plan.budget().toSeconds());
                    break;
                }
                long roundStart = System.nanoTime();
                round("round " + (rounds + 1) + "/" + plan.rounds(), order(rounds), true);
                longest = Math.max(longest, System.nanoTime() - roundStart);
                rounds++;
            }
            return rounds;
        }

        /** One round: every case, for every implementation still in the running, in {@code order}. */
        void round(String label, List<String> order, boolean keep) {
            long roundStart = System.nanoTime();
            JvmActivity before = JvmActivity.now();
            for (DeviceCase c : DeviceCase.values()) {
                for (String impl : order) {
                    WorkloadDriver driver = ready.get(impl);
                    if (driver == null || samples.isOut(c.id(), impl)) {
                        continue;
                    }
                    CaseProgress.measuring(label, c.id(), impl);
                    try {
                        Map<String, Double> measured = runTimed(plan, driver,
                                () -> driver.measure(c.id(), plan.size(c)));
                        if (keep) {
                            keep(c, impl, measured);
                        }
                    } catch (Throwable e) {
                        String reason = "failed in " + label + ": " + describe(e);
                        samples.fail(c.id(), impl, reason);
                        progress.println("device: " + key(c, impl) + " " + reason);
                    }
                }
            }
            progress.printf(Locale.ROOT, "device: %s done in %.1f s (%s; order: %s)%n", label,
                    (System.nanoTime() - roundStart) / 1e9, JvmActivity.now().since(before),
                    String.join(", ", order));
            progress.flush();
        }

        private void keep(DeviceCase c, String impl, Map<String, Double> measured) {
            for (Metric m : c.metrics()) {
                Double v = measured.get(m.name());
                if (v == null || !Double.isFinite(v)) {
                    throw new IllegalStateException("measurement returned " + m.name() + " = " + v);
                }
            }
            for (Metric m : c.metrics()) {
                samples.keep(c.id(), impl, m.name(), measured.get(m.name()));
            }
        }

        /**
         * Measured results per case, metric and impl, then a skipped entry per (case, impl) that
         * did not run.
         */
        List<Result> results() {
            return samples.results(List.of(DeviceCase.values()), impls);
        }
    }

    private List<String> order(int round) {
        if (round % 2 == 0) {
            return impls;
        }
        return impls.reversed();
    }

    /** What a measurement does on a driver thread. */
    private interface Measurement {
        Map<String, Double> run() throws Exception;
    }

    /**
     * Runs a measurement on a fresh driver thread and waits for it at most the plan's timeout (then
     * cancels it, and abandons it if it does not end within {@link #CANCEL_GRACE_MILLIS}); then
     * checks that it left no runner or producer thread alive.
     */
    private Map<String, Double> runTimed(DevicePlan plan, WorkloadDriver workloads,
                                         Measurement measurement) throws Exception {
        AtomicReference<Map<String, Double>> result = new AtomicReference<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread driver = new Thread(() -> {
            try {
                result.set(measurement.run());
            } catch (Throwable e) {
                failure.set(e);
            }
        }, "weft-bench-driver");
        driver.setDaemon(true);
        driver.start();
        driver.join(plan.timeout().toMillis());
        if (driver.isAlive()) {
            workloads.cancel();
            driver.join(CANCEL_GRACE_MILLIS);
            String what = "did not finish within " + plan.timeout().toSeconds() + " s";
            if (!driver.isAlive()) {
                abandoned.addAll(leftover());
                throw new IllegalStateException(what + " and was cancelled (a slow machine?)");
            }
            List<Thread> stuck = leftover();
            abandoned.addAll(stuck);
            throw new IllegalStateException(what + " and did not end when cancelled: hung (threads"
                    + " left running: " + names(stuck) + ")");
        }
        if (failure.get() != null) {
            abandoned.addAll(leftover());
            switch (failure.get()) {
                case Exception e -> throw e;
                case Error e -> throw e; // a missing class or module export: reported as it is
                default -> throw new IllegalStateException(failure.get());
            }
        }
        List<Thread> leaked = leftover();
        if (!leaked.isEmpty()) {
            abandoned.addAll(leaked);
            throw new IllegalStateException("left threads running: " + names(leaked));
        }
        return result.get();
    }

    /** Runner, producer and driver threads still alive that no earlier failure accounted for. */
    private List<Thread> leftover() {
        List<Thread> left = new ArrayList<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.isAlive() && !abandoned.contains(t) && t != Thread.currentThread()
                    && MEASUREMENT_THREADS.stream().anyMatch(p -> t.getName().startsWith(p))) {
                left.add(t);
            }
        }
        return left;
    }

    private static String names(List<Thread> threads) {
        return threads.isEmpty() ? "none"
                : threads.stream().map(Thread::getName).sorted().collect(Collectors.joining(", "));
    }

    private static String key(DeviceCase c, String impl) {
        return c.id() + "/" + impl;
    }

    private static String sizes(DevicePlan plan) {
        List<String> parts = new ArrayList<>();
        for (DeviceCase c : DeviceCase.values()) {
            parts.add(String.format(Locale.ROOT, "%s %,d %s", c.id(), plan.size(c), c.sizeUnit()));
        }
        return String.join(", ", parts);
    }

    /** One line: the throwable and its causes ({@link FailureLine}). */
    static String describe(Throwable e) {
        return FailureLine.of(e);
    }
}
