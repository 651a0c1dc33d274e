package dev.weft.bench.actors;

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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The actors suite: the Savina micro-benchmarks, spawn-and-exit, request-reply latency and the
 * heap of an idle actor, on weft's process actors ({@code weft-proc}) and handler actors
 * ({@code weft-handler}), on Apache Pekko Typed with its default dispatcher ({@code pekko}) and
 * tuned ({@code pekko-tuned}), in one JVM, and ping-pong and thread-ring on Erlang/OTP
 * ({@code erlang}) in a process of its own with the same scheduler count. The same workloads and
 * message counts for all ({@link ActorImpl}).
 *
 * <h2>Method</h2>
 * <ol>
 *   <li>Each implementation is created and checked with a short ping-pong; one that cannot run
 *       (Erlang not installed, a Pekko executor this version lacks) is reported as skipped with
 *       the reason. An implementation may have several candidates ({@code pekko-tuned}: dispatcher
 *       throughput 100, and the virtual-thread executor): each is measured like any other, and the
 *       report keeps, per case, the candidate with the best median, saying which.</li>
 *   <li>Warm-up rounds, then measured rounds: a round runs every timed case and call-rtt on every
 *       candidate, one measurement at a time, candidates in the order of a row of a
 *       {@link LatinSquare}, the next row every round. A measurement is one run of the workload
 *       after a {@link System#gc()}, on a fresh driver thread; its time is from the workload's
 *       first spawn to its result, as the actor that sees the result (or, for spawn-exit on weft,
 *       the end of {@code Weft.run}) records it.</li>
 *   <li>Every result is checked against {@link ActorCase#expected}: a wrong one marks that
 *       (case, impl) failed, is printed, and fails the run once the table is printed.</li>
 *   <li>A measurement that does not end within {@link ActorPlan#timeout()} is abandoned (the
 *       implementation's runtime is stopped and started afresh) and reported as failed.</li>
 *   <li>Rounds go on up to {@link ActorPlan#rounds()}, and stop earlier (after
 *       {@link ActorPlan#MIN_ROUNDS}) when one more would end past {@link ActorPlan#budget()}.</li>
 *   <li>idle-bytes: live heap after full collections with the actors idle, minus before they
 *       were spawned, per actor, in {@link ActorPlan#memoryRounds()} rounds.</li>
 *   <li>Each figure is the median over the measured rounds, with min and max.</li>
 * </ol>
 */
public final class ActorSuite implements BenchSuite {

    /** The suite name. */
    public static final String NAME = "actors";

    /** weft's two styles, then the peers; the table keeps this order. */
    public static final List<String> IMPLS = List.of(WeftActors.PROC, WeftActors.HANDLER, PekkoActors.DEFAULT,
            PekkoActors.TUNED, ErlangActors.NAME);

    /**
     * The weft implementation each peer's ratios refer to, like for like first: Pekko against
     * handler actors (both run a behaviour per message on a pool), Erlang against process actors
     * (both receive in a loop).
     */
    public static final Map<String, List<String>> REFERENCES = Map.of(
            PekkoActors.DEFAULT, List.of(WeftActors.HANDLER, WeftActors.PROC),
            PekkoActors.TUNED, List.of(WeftActors.HANDLER, WeftActors.PROC),
            ErlangActors.NAME, List.of(WeftActors.PROC, WeftActors.HANDLER),
            WeftActors.PROC, List.of(), WeftActors.HANDLER, List.of());

    /** Creates one candidate of an implementation. */
    @FunctionalInterface
    public interface ImplFactory {
        /** @throws Exception when the candidate cannot be created here */
        ActorImpl create(String candidate, int parallelism) throws Exception;
    }

    /** The candidates of each implementation: {@code pekko-tuned} has two, the others themselves. */
    public static final Map<String, List<String>> CANDIDATES = Map.of(
            PekkoActors.TUNED, List.of(PekkoActors.tunedThroughputName(), PekkoActors.tunedVirtualThreadsName()));

    /** Round trips of the check every candidate passes before it is measured. */
    private static final int CHECK_ROUND_TRIPS = 100;
    /** Heap an idle actor may take at most, for the check that the heap can hold them all. */
    private static final long HEAP_PER_IDLE_ACTOR = 3_000;
    private static final long HEAP_HEADROOM = 256L << 20;
    /** After the last idle actor said it was idle, time for it to reach its park. */
    private static final long SETTLE_MILLIS = 10;
    /** Time an idle-bytes measurement takes besides its actors (the full collections), for the budget. */
    private static final long MEMORY_SECONDS_FIXED = 2;
    /** Time an idle-bytes measurement takes per actor (spawned, collected over, stopped), for the budget. */
    private static final long MEMORY_NANOS_PER_ACTOR = 20_000;
    /** How long an abandoned driver may take to end once interrupted. */
    private static final Duration GRACE = Duration.ofSeconds(5);

    private final List<String> impls;
    private final Map<String, List<String>> candidates;
    private final ImplFactory factory;
    private final ActorPlan quickPlan;
    private final ActorPlan fullPlan;
    private final int parallelism = java.lang.Runtime.getRuntime().availableProcessors();

    /** Every implementation of the issue, with the standard plans. */
    public ActorSuite() {
        this(IMPLS, CANDIDATES, ActorSuite::standardImpl, ActorPlan.QUICK, ActorPlan.FULL);
    }

    /**
     * @param impls      implementation names in table order
     * @param candidates the candidates of an implementation that has several; the others are
     *                   their own only candidate
     * @param factory    creates each candidate
     * @param quickPlan  the plan of {@code --quick}
     * @param fullPlan   the plan otherwise
     */
    public ActorSuite(List<String> impls, Map<String, List<String>> candidates, ImplFactory factory,
                      ActorPlan quickPlan, ActorPlan fullPlan) {
        this.impls = List.copyOf(impls);
        this.candidates = Map.copyOf(candidates);
        this.factory = Objects.requireNonNull(factory, "factory");
        this.quickPlan = Objects.requireNonNull(quickPlan, "quickPlan");
        this.fullPlan = Objects.requireNonNull(fullPlan, "fullPlan");
    }

    /**
     * The candidate of that name.
     *
     * @throws IllegalArgumentException for a name that is none of them
     */
    public static ActorImpl standardImpl(String candidate, int parallelism) {
        if (candidate.equals(WeftActors.PROC)) {
            return new WeftActors(parallelism, false);
        }
        if (candidate.equals(WeftActors.HANDLER)) {
            return new WeftActors(parallelism, true);
        }
        if (candidate.equals(PekkoActors.DEFAULT)) {
            return PekkoActors.defaults();
        }
        if (candidate.equals(PekkoActors.tunedThroughputName())) {
            return PekkoActors.tunedThroughput();
        }
        if (candidate.equals(PekkoActors.tunedVirtualThreadsName())) {
            return PekkoActors.tunedVirtualThreads();
        }
        if (candidate.equals(ErlangActors.NAME)) {
            return new ErlangActors(parallelism);
        }
        throw new IllegalArgumentException("no actors implementation '" + candidate + "'; known: "
                + String.join(", ", IMPLS) + " and the candidates " + CANDIDATES);
    }

    private List<String> candidatesOf(String impl) {
        return candidates.getOrDefault(impl, List.of(impl));
    }

    @Override
    public Map<String, List<String>> references() {
        return REFERENCES;
    }

    @Override
    public SuiteReport run(boolean quick, PrintWriter table, PrintWriter progress) {
        ActorPlan plan = quick ? quickPlan : fullPlan;
        SuiteRun run = new SuiteRun(plan, progress);
        progress.printf(Locale.ROOT, "actors: %d warm-up + up to %d measured rounds, %d memory rounds; %s%n",
                plan.warmupRounds(), plan.rounds(), plan.memoryRounds(), plan.sizes().describe());
        progress.flush();
        int rounds;
        JvmActivity measuredJvm;
        try {
            run.open();
            for (int r = 0; r < plan.warmupRounds(); r++) {
                run.round("warm-up " + (r + 1) + "/" + plan.warmupRounds(), r, false);
            }
            JvmActivity measuredStart = JvmActivity.now();
            rounds = run.measure();
            measuredJvm = JvmActivity.now().since(measuredStart);
            run.memory();
        } finally {
            run.closeImpls();
        }
        String load = MachineLoad.describeSince(run.loadAtStart);

        SuiteReport report = SuiteReport.ofThisJvm(NAME, quick, run.results());
        table.printf(Locale.ROOT, "weft bench actors%s: median of %d measured rounds (of %d planned) after %d"
                        + " warm-up round%s, order by the rows of a Latin square; one JVM (jdk %s, %d cpus),"
                        + " Erlang in its own process.%n", quick ? " --quick" : "", rounds, plan.rounds(),
                plan.warmupRounds(), plan.warmupRounds() == 1 ? "" : "s", report.jdk(), report.cpus());
        table.printf(Locale.ROOT, "per measurement: %s.%n", plan.sizes().describe());
        table.println("throughput = operations / wall time from the first spawn to the result (see each case's"
                + " unit), after a System.gc(); call-rtt = request to reply, one at a time, on the client's clock.");
        for (String line : run.configurations) {
            table.println(line);
        }
        table.printf(Locale.ROOT, "one heap for the JVM implementations: max %,d MB (./weft passes WEFT_JAVA_OPTS, e.g."
                + " -Xmx), collectors: %s.%n", java.lang.Runtime.getRuntime().maxMemory() >> 20,
                String.join(", ", ManagementFactory.getGarbageCollectorMXBeans().stream()
                        .map(GarbageCollectorMXBean::getName).toList()));
        table.println(load);
        table.println("JVM during the measured rounds: " + measuredJvm);
        table.println();
        table.println("like for like: pekko and pekko-tuned against weft-handler (a behaviour per message, run"
                + " by a pool), erlang against weft-proc (a process looping on receive); the other weft style is"
                + " kept as a second ratio.");
        table.print(ResultTable.render(report, REFERENCES));
        table.println();
        for (String line : run.choices) {
            table.println(line);
        }
        for (String note : run.notes) {
            table.println("note: " + note);
        }
        table.println();
        table.print(ActorTargets.render(report));
        table.printf(Locale.ROOT, "%nwall time: %.1f s%n", (System.nanoTime() - run.started) / 1e9);
        if (!run.wrong.isEmpty()) {
            table.println();
            table.println("WRONG RESULTS (an implementation lost or duplicated messages; the figures above are"
                    + " not valid for these):");
            run.wrong.forEach(w -> table.println("  " + w));
        }
        table.flush();
        if (!run.wrong.isEmpty()) {
            throw new IllegalStateException("actors: " + run.wrong.size() + " wrong result"
                    + (run.wrong.size() == 1 ? "" : "s") + ": " + String.join("; ", run.wrong));
        }
        return report;
    }

    /** The state of one run of the suite. */
    private final class SuiteRun {
        final ActorPlan plan;
        final ActorSizes sizes;
        final PrintWriter progress;
        final long started = System.nanoTime();
        final Optional<MachineLoad> loadAtStart = MachineLoad.now();
        final Map<String, ActorImpl> ready = new LinkedHashMap<>(); // candidate -> impl
        final List<String> order = new ArrayList<>(); // every candidate, in table order
        final Samples samples = new Samples(); // by candidate
        final List<String> configurations = new ArrayList<>();
        final List<String> choices = new ArrayList<>();
        final List<String> wrong = new ArrayList<>();
        final List<String> notes = new ArrayList<>();

        SuiteRun(ActorPlan plan, PrintWriter progress) {
            this.plan = plan;
            this.sizes = plan.sizes();
            this.progress = progress;
        }

        /** Creates and checks every candidate; one that fails is unavailable. */
        void open() {
            for (String impl : impls) {
                for (String name : candidatesOf(impl)) {
                    order.add(name);
                    ActorImpl candidate = null;
                    try {
                        candidate = factory.create(name, parallelism);
                        ActorImpl c = candidate;
                        Timed t = bounded(c, "check", () -> c.pingPong(CHECK_ROUND_TRIPS));
                        if (t.value() != 2L * CHECK_ROUND_TRIPS) {
                            String what = "ping-pong of " + CHECK_ROUND_TRIPS + " round trips returned " + t.value()
                                    + ", expected " + 2 * CHECK_ROUND_TRIPS;
                            wrong.add(name + " in the check: " + what);
                            samples.unavailable(name, "WRONG RESULT in the check: " + what);
                            candidate.close();
                            continue;
                        }
                        ready.put(name, candidate);
                        configurations.add(String.format(Locale.ROOT, "%-28s %s", name + ":", candidate.configuration()));
                    } catch (Throwable e) {
                        String reason = "cannot run here: " + FailureLine.of(e);
                        samples.unavailable(name, reason);
                        configurations.add(String.format(Locale.ROOT, "%-28s skipped: %s", name + ":", reason));
                        progress.println("actors: " + name + " skipped: " + FailureLine.of(e));
                        if (candidate != null) {
                            candidate.abandon();
                            candidate.close();
                        }
                    }
                }
            }
            progress.flush();
        }

        /** Measured rounds, until the plan's count or until one more would end past the budget. */
        int measure() {
            int rounds = 0;
            long longest = 0;
            long limit = plan.budget().toNanos();
            while (rounds < plan.rounds()) {
                if (rounds >= Math.min(ActorPlan.MIN_ROUNDS, plan.rounds())
                        && System.nanoTime() - started + longest + memoryReserve() > limit) {
                    progress.printf(Locale.ROOT, "actors: stopping after %d of %d measured rounds: one more"
                            + " would end past the %d s budget%n", rounds, plan.rounds(), plan.budget().toSeconds());
                    break;
                }
                long roundStart = System.nanoTime();
                round("round " + (rounds + 1) + "/" + plan.rounds(), rounds + plan.warmupRounds(), true);
                longest = Math.max(longest, System.nanoTime() - roundStart);
                rounds++;
            }
            return rounds;
        }

        /**
         * A rough allowance for the memory rounds, kept out of the budget of the measured rounds:
         * per idle-bytes measurement, {@link #MEMORY_SECONDS_FIXED} for its collections and
         * {@link #MEMORY_NANOS_PER_ACTOR} per actor spawned and stopped.
         */
        long memoryReserve() {
            long perMeasurement = TimeUnit.SECONDS.toNanos(MEMORY_SECONDS_FIXED)
                    + MEMORY_NANOS_PER_ACTOR * sizes.idleActors();
            return plan.memoryRounds() * ready.size() * perMeasurement;
        }

        /** One round of every timed case and call-rtt on every candidate, in the order of row {@code row}. */
        void round(String label, int row, boolean keep) {
            long roundStart = System.nanoTime();
            List<String> rowOrder = LatinSquare.row(order, row);
            List<String> times = new ArrayList<>();
            for (ActorCase c : ActorCase.timedCases()) {
                for (String name : rowOrder) {
                    CaseProgress.measuring(label, c.id(), name);
                    timed(c, name, label, keep).ifPresent(t -> times.add(String.format(Locale.ROOT, "%s/%s %.0f ms",
                            c.id(), name, t.nanos() / 1e6)));
                }
            }
            for (String name : rowOrder) {
                callRtt(name, label, keep);
            }
            progress.printf(Locale.ROOT, "actors: %s done in %.1f s: %s%n", label,
                    (System.nanoTime() - roundStart) / 1e9, String.join(", ", times));
            progress.flush();
        }

        /** One measurement of a timed case; empty if it did not run or failed. */
        Optional<Timed> timed(ActorCase c, String name, String label, boolean keep) {
            ActorImpl impl = runnable(c, name);
            if (impl == null) {
                return Optional.empty();
            }
            if (impl.inThisJvm()) {
                System.gc();
            }
            try {
                Timed t = bounded(impl, c.id(), () -> c.run(impl, sizes));
                long expected = c.expected(sizes);
                if (t.value() != expected) {
                    wrongResult(c, name, label, "returned " + t.value() + ", expected " + expected);
                    return Optional.empty();
                }
                if (keep) {
                    samples.keep(c.id(), name, ActorCase.THROUGHPUT_METRIC, c.operations(sizes) / (t.nanos() / 1e9));
                }
                return Optional.of(t);
            } catch (Throwable e) {
                fail(c, name, label, e);
                return Optional.empty();
            }
        }

        void callRtt(String name, String label, boolean keep) {
            ActorCase c = ActorCase.CALL_RTT;
            ActorImpl impl = runnable(c, name);
            if (impl == null) {
                return;
            }
            System.gc();
            Histogram h = new Histogram(3);
            try {
                long replies = bounded(impl, c.id(), () -> impl.callRtt(sizes.calls(), h));
                if (replies != sizes.calls() || h.getTotalCount() != sizes.calls()) {
                    wrongResult(c, name, label, "got " + replies + " replies and recorded " + h.getTotalCount()
                            + ", expected " + sizes.calls());
                    return;
                }
                if (keep) {
                    samples.keep(c.id(), name, ActorCase.P50, h.getValueAtPercentile(50));
                    samples.keep(c.id(), name, ActorCase.P99, h.getValueAtPercentile(99));
                }
            } catch (Throwable e) {
                fail(c, name, label, e);
            }
        }

        /** idle-bytes rounds, candidates alternating. */
        void memory() {
            ActorCase c = ActorCase.IDLE_BYTES;
            int actors = sizes.idleActors();
            long needed = actors * HEAP_PER_IDLE_ACTOR + HEAP_HEADROOM;
            long max = java.lang.Runtime.getRuntime().maxMemory();
            if (max < needed) {
                String reason = String.format(Locale.ROOT, "the heap (max %,d MB) is too small to hold %,d idle"
                        + " actors safely (%,d MB); rerun with WEFT_JAVA_OPTS=-Xmx%dg", max >> 20, actors,
                        needed >> 20, (needed >> 30) + 1);
                order.forEach(name -> samples.fail(c.id(), name, reason));
                progress.println("actors: idle-bytes skipped: " + reason);
                return;
            }
            for (int r = 0; r < plan.memoryRounds(); r++) {
                String label = "memory round " + (r + 1) + "/" + plan.memoryRounds();
                List<String> lines = new ArrayList<>();
                for (String name : LatinSquare.row(order, r)) {
                    ActorImpl impl = runnable(c, name);
                    if (impl != null) {
                        idleOnce(impl, label).ifPresent(b -> lines.add(String.format(Locale.ROOT, "%s %.0f B/actor",
                                name, b)));
                    }
                }
                progress.println("actors: " + label + ": " + String.join(", ", lines));
                progress.flush();
            }
        }

        Optional<Double> idleOnce(ActorImpl impl, String label) {
            ActorCase c = ActorCase.IDLE_BYTES;
            String name = impl.name();
            int actors = sizes.idleActors();
            ActorImpl.IdleActors idle = impl.idle(actors);
            long baseline = HeapGauge.liveBytes();
            try {
                bounded(impl, c.id() + " start", () -> {
                    idle.start(plan.timeout());
                    return null;
                });
                Thread.sleep(SETTLE_MILLIS);
                double perActor = (HeapGauge.liveBytes() - baseline) / (double) actors;
                long ended = bounded(impl, c.id() + " release", () -> idle.release(plan.timeout()));
                if (ended != actors) {
                    wrongResult(c, name, label, ended + " of " + actors + " idle actors ended on release");
                    return Optional.empty();
                }
                samples.keep(c.id(), name, ActorCase.BYTES, perActor);
                return Optional.of(perActor);
            } catch (Throwable e) {
                fail(c, name, label, e);
                return Optional.empty();
            }
        }

        /** The candidate if this (case, candidate) is still to be measured, else null. */
        ActorImpl runnable(ActorCase c, String name) {
            ActorImpl impl = ready.get(name);
            if (impl == null || samples.isOut(c.id(), name) || impl.unsupported(c).isPresent()) {
                return null;
            }
            return impl;
        }

        void fail(ActorCase c, String name, String label, Throwable e) {
            String reason = "failed in " + label + ": " + FailureLine.of(e);
            samples.fail(c.id(), name, reason);
            progress.println("actors: " + c.id() + "/" + name + " " + reason);
            progress.flush();
        }

        void wrongResult(ActorCase c, String name, String label, String what) {
            String line = c.id() + "/" + name + " in " + label + ": " + what;
            wrong.add(line);
            samples.fail(c.id(), name, "WRONG RESULT in " + label + ": " + what);
            progress.println("actors: WRONG RESULT: " + line);
            progress.flush();
        }

        /**
         * Runs {@code body} on a fresh driver thread for at most the plan's timeout; past it,
         * abandons the candidate's measurement (its runtime is stopped) and throws.
         */
        <T> T bounded(ActorImpl impl, String what, Callable<T> body) throws Exception {
            FutureTask<T> task = new FutureTask<>(body);
            Thread driver = Thread.ofPlatform().name("weft-bench-actors-driver").daemon(true).start(task);
            try {
                return task.get(plan.timeout().toNanos(), TimeUnit.NANOSECONDS);
            } catch (ExecutionException e) {
                throw e.getCause() instanceof Exception ex ? ex : e;
            } catch (TimeoutException e) {
                impl.abandon();
                driver.interrupt();
                boolean ended = driver.join(GRACE);
                String message = String.format(Locale.ROOT, "%s on %s did not finish within %.1f s; abandoned%s",
                        what, impl.name(), plan.timeout().toMillis() / 1e3,
                        ended ? "" : ", and its driver did not end when interrupted (hung)");
                notes.add(message + ". Its actors may still be running and disturb later measurements.");
                throw new TimeoutException(message);
            }
        }

        void closeImpls() {
            for (ActorImpl impl : ready.values()) {
                try {
                    impl.close();
                } catch (RuntimeException e) {
                    progress.println("actors: closing " + impl.name() + ": " + FailureLine.of(e));
                }
            }
        }

        /**
         * The report's results: per implementation, its candidate's rounds (for an implementation
         * with several, per case the candidate whose median of the case's first metric is best),
         * then a skipped entry per (case, impl) that did not run.
         */
        List<Result> results() {
            Samples byImpl = new Samples();
            for (String impl : impls) {
                List<String> names = candidatesOf(impl);
                if (names.stream().allMatch(samples::isUnavailable)) {
                    byImpl.unavailable(impl, names.size() == 1 ? unavailableReason(names.getFirst())
                            : String.join("; ", names.stream().map(n -> n + ": " + unavailableReason(n)).toList()));
                    continue;
                }
                for (ActorCase c : ActorCase.values()) {
                    Optional<String> best = best(c, names);
                    if (best.isEmpty()) {
                        byImpl.fail(c.id(), impl, names.stream().filter(n -> ready.containsKey(n)).map(n -> {
                            String why = skipReason(c, n);
                            return names.size() == 1 ? why : n + ": " + why;
                        }).findFirst().orElse(Samples.NOT_MEASURED));
                        continue;
                    }
                    for (var m : c.metrics()) {
                        samples.rounds(c.id(), best.get(), m.name()).forEach(v -> byImpl.keep(c.id(), impl, m.name(), v));
                    }
                    if (names.size() > 1) {
                        choices.add(choice(c, impl, best.get(), names));
                    }
                }
            }
            return byImpl.results(List.of(ActorCase.values()), impls, (c, impl) -> {
                for (String name : candidatesOf(impl)) {
                    ActorImpl i = ready.get(name);
                    if (i != null) {
                        return i.unsupported(c);
                    }
                }
                return Optional.empty();
            });
        }

        /** The candidate with the best median of {@code c}'s first metric, among those measured. */
        Optional<String> best(ActorCase c, List<String> names) {
            var metric = c.metrics().getFirst();
            String best = null;
            double bestValue = 0;
            for (String name : names) {
                List<Double> rounds = samples.rounds(c.id(), name, metric.name());
                if (rounds.isEmpty() || samples.isOut(c.id(), name)) {
                    continue;
                }
                double median = Result.measured(c.id(), name, metric.name(), metric.unit(), metric.higherIsBetter(),
                        rounds).value();
                if (best == null || (metric.higherIsBetter() ? median > bestValue : median < bestValue)) {
                    best = name;
                    bestValue = median;
                }
            }
            return Optional.ofNullable(best);
        }

        /** "pekko-tuned, ping-pong: pekko-tuned[virtual-threads] (2.10 M msgs/s; [throughput=100]: 1.90 M)". */
        String choice(ActorCase c, String impl, String chosen, List<String> names) {
            var metric = c.metrics().getFirst();
            List<String> figures = new ArrayList<>();
            for (String name : names) {
                List<Double> rounds = samples.rounds(c.id(), name, metric.name());
                figures.add(name + " " + (rounds.isEmpty() || samples.isOut(c.id(), name) ? skipReason(c, name)
                        : ResultTable.quantity(Result.measured(c.id(), name, metric.name(), metric.unit(),
                        metric.higherIsBetter(), rounds).value(), metric.unit())));
            }
            return String.format(Locale.ROOT, "%s, %s (%s): kept %s; measured %s", impl, c.id(), metric.name(), chosen,
                    String.join(", ", figures));
        }

        String unavailableReason(String name) {
            return samples.results(List.of(ActorCase.PING_PONG), List.of(name)).stream()
                    .filter(Result::isSkipped).map(Result::skipped).findFirst().orElse(Samples.NOT_MEASURED);
        }

        String skipReason(ActorCase c, String name) {
            ActorImpl impl = ready.get(name);
            return samples.results(List.of(c), List.of(name),
                            (cc, n) -> impl == null ? Optional.empty() : impl.unsupported(cc)).stream()
                    .filter(Result::isSkipped).map(Result::skipped).findFirst().orElse(Samples.NOT_MEASURED);
        }
    }
}
