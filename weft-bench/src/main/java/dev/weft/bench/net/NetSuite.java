package dev.weft.bench.net;

import dev.weft.bench.BenchSuite;
import dev.weft.bench.CaseProgress;
import dev.weft.bench.FailureLine;
import dev.weft.bench.LatinSquare;
import dev.weft.bench.ProcessCpu;
import dev.weft.bench.MachineLoad;
import dev.weft.bench.Result;
import dev.weft.bench.ResultTable;
import dev.weft.bench.Samples;
import dev.weft.bench.SuiteReport;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The net suite: echo servers on loopback driven by a load generator in its own process, weft's
 * servers ({@code weft}, {@code weft-nio}) against Netty 4.2 over io_uring ({@code netty-uring})
 * and epoll ({@code netty-epoll}) and a plain JDK server with a virtual thread per connection
 * ({@code jdk-vt}).
 *
 * <h2>Method</h2>
 * <ol>
 *   <li>Processes: the load generator runs in a JVM of its own ({@link GeneratorProcess}), and
 *       every implementation in a JVM of its own ({@link ServerProcess}), started with the flags
 *       its maintainers recommend for this JDK ({@link ServerFactory#jvmFlags}). The generator is
 *       pinned to one CPU and every server to another, the same for every implementation
 *       ({@link CpuSplit}; when pinning is impossible the report says why). This JVM only
 *       directs them and waits while they measure.</li>
 *   <li>Each implementation's process says whether it can run here
 *       ({@link EchoServer#unavailableReason()}), then it is checked: started with one worker and
 *       driven by two connections for a moment. One that cannot run is reported as skipped in
 *       every case, with the reason.</li>
 *   <li>Warm-up against every implementation that runs, once per message size (not reported),
 *       so that the JIT of each server's JVM and of the generator's has compiled its paths before
 *       the first measured round.</li>
 *   <li>Measured rounds, until the plan's count or its time budget ({@link NetPlan}), never fewer
 *       than {@link NetPlan#MIN_ROUNDS}. A round measures every case on every implementation,
 *       one measurement at a time, in the order of a row of a {@link LatinSquare}: row
 *       {@code round + case index}, so that over as many rounds as implementations each stands
 *       at every position once in every case. A measurement starts a fresh server in its
 *       implementation's process with the case's worker count, runs the generator against it
 *       (warm-up, then the measured period, at whose ends the generator reads the server
 *       process's CPU time from {@code /proc}: {@link ProcessCpu}), and closes the server. In the
 *       idle case ({@code idle-100c}) the server's process runs the {@link IdleMeter} against it
 *       instead: it opens the connections, sends nothing, lets the server settle, and measures
 *       the CPU time used over a window, by the whole server JVM and by the server's own threads
 *       ({@link EchoServer#cpuThreadNamePrefixes()}).</li>
 *   <li>A measurement that fails (a stall, a closed connection), outlives
 *       {@link NetPlan#timeout()} ({@link NetPlan#idleTimeout()} in the idle case), or leaves one
 *       of the server's threads alive marks that (case, impl) skipped with the reason, and the
 *       process that failed is replaced by a fresh one; the rest goes on. A corrupt echo is
 *       printed as {@code CORRUPT ECHO} and fails the whole run once the table is printed.</li>
 *   <li>Each metric is the median over measured rounds, with min and max; {@code cpu-per-op} is
 *       the server process's CPU time over the measured period per message echoed in it. The
 *       report says how much CPU other processes used.</li>
 * </ol>
 */
public final class NetSuite implements BenchSuite {

    /** The suite name. */
    public static final String NAME = "net";

    /**
     * Creates the servers of the implementations, in their processes: a class with a no-argument
     * constructor, which each server process instantiates ({@link EchoServers.Registry}).
     */
    public interface ServerFactory {
        /** An unstarted server of {@code impl}. @throws Exception when it cannot be created here */
        EchoServer create(String impl) throws Exception;

        /** The JVM flags the process of {@code impl} is started with, beyond the suite's own. */
        default List<String> jvmFlags(String impl) {
            return List.of();
        }
    }

    /**
     * What the plan runs for one (case, impl): measured, or skipped with the reason.
     *
     * @param netCase the case
     * @param impl    the implementation
     * @param skipped why it does not run; empty if it does
     */
    public record Planned(NetCase netCase, String impl, Optional<String> skipped) {
    }

    /** The check every implementation passes before it is measured. */
    private static final LoadGenerator.Load CHECK_LOAD = new LoadGenerator.Load(2, 64, 2);
    private static final Duration CHECK_TIME = Duration.ofMillis(100);

    private final List<String> impls;
    private final Class<? extends ServerFactory> servers;
    private final ServerFactory flags;
    private final NetPlan quickPlan;
    private final NetPlan fullPlan;

    /** Every implementation of {@link EchoServers}, with the standard plans. */
    public NetSuite() {
        this(EchoServers.IMPLS, EchoServers.Registry.class, NetPlan.QUICK, NetPlan.FULL);
    }

    /**
     * @param impls     implementation names, {@code weft} first; the table keeps this order
     * @param servers   the class that creates each implementation's servers, in its process
     * @param quickPlan the plan of {@code --quick}
     * @param fullPlan  the plan otherwise
     * @throws IllegalArgumentException when {@code servers} has no no-argument constructor
     */
    public NetSuite(List<String> impls, Class<? extends ServerFactory> servers, NetPlan quickPlan, NetPlan fullPlan) {
        this.impls = List.copyOf(impls);
        this.servers = Objects.requireNonNull(servers, "servers");
        try {
            var constructor = servers.getDeclaredConstructor();
            constructor.setAccessible(true);
            this.flags = constructor.newInstance();
        } catch (ReflectiveOperationException e) {
            throw new IllegalArgumentException(servers.getName() + " cannot be instantiated with no arguments: " + e, e);
        }
        this.quickPlan = Objects.requireNonNull(quickPlan, "quickPlan");
        this.fullPlan = Objects.requireNonNull(fullPlan, "fullPlan");
    }

    /** Every (case, impl) and whether it runs: the same in quick and full mode. */
    public static List<Planned> plan(List<EchoServer> servers) {
        List<Planned> planned = new ArrayList<>();
        for (NetCase c : NetCase.values()) {
            for (EchoServer s : servers) {
                planned.add(new Planned(c, s.impl(), s.unavailableReason()));
            }
        }
        return planned;
    }

    /**
     * The order of the implementations in round {@code round} of case number {@code caseIndex}:
     * row {@code round + caseIndex} of the {@link LatinSquare} over {@code impls}.
     */
    public static List<String> order(List<String> impls, int round, int caseIndex) {
        return LatinSquare.row(impls, round + caseIndex);
    }

    @Override
    public SuiteReport run(boolean quick, PrintWriter table, PrintWriter progress) {
        NetPlan plan = quick ? quickPlan : fullPlan;
        SuiteRun run = new SuiteRun(plan, progress, CpuSplit.detect());
        progress.printf(Locale.ROOT, "net: %d to %d measured rounds of %d cases x %d implementations,"
                        + " each %s warm-up + %s measured; %s%n", NetPlan.MIN_ROUNDS, plan.rounds(),
                NetCase.values().length, impls.size(), seconds(plan.warmup()), seconds(plan.measure()),
                run.split.describe());
        progress.flush();
        int rounds;
        try {
            run.open();
            run.warm();
            rounds = run.measure();
        } finally {
            run.close();
        }
        String load = MachineLoad.describeSince(run.loadAtStart);
        progress.println("net: " + load);
        progress.flush();

        SuiteReport report = SuiteReport.ofThisJvm(NAME, quick, run.results());
        table.printf(Locale.ROOT, "weft bench net%s: median of %d measured round%s (of %d planned); each"
                        + " measurement a fresh server, %s warm-up then %s measured; implementation order"
                        + " by the rows of a Latin square (%s); jdk %s, %d cpus.%n",
                quick ? " --quick" : "", rounds, rounds == 1 ? "" : "s", plan.rounds(),
                seconds(plan.warmup()), seconds(plan.measure()), rounds >= impls.size()
                        ? "every implementation at every position in every case"
                        : rounds + " of its " + impls.size() + " rows, so not every implementation at every position",
                report.jdk(), report.cpus());
        table.printf(Locale.ROOT, "processes: the load generator in a JVM of its own (pid %s), each server"
                        + " implementation in a JVM of its own, every JVM with %s; %s. This JVM only directs"
                        + " them. Each implementation warmed up for %s per message size first.%n",
                run.generatorPid, BenchProcess.HEAP, run.split.describe(),
                seconds(plan.generatorWarmup()));
        table.printf(Locale.ROOT, "load: one generator thread (java.nio Selector), %d connections to 127.0.0.1,"
                        + " each keeping %d messages of 64 B or %d of 4 KiB in flight (closed loop); every"
                        + " echoed byte is checked.%n", NetCase.CONNECTIONS, NetCase.SMALL_PIPELINE_DEPTH,
                NetCase.LARGE_PIPELINE_DEPTH);
        table.printf(Locale.ROOT, "throughput = messages echoed per second; p50/p99 = time from handing a message"
                        + " to the socket to having the last byte of its echo; cpu-per-op = CPU time (user +"
                        + " system, /proc/<pid>/stat, in ticks of %d ms) of the server's whole process over the"
                        + " measured period, per message echoed in it.%n", ProcessCpu.TICK.toMillis());
        table.printf(Locale.ROOT, "idle-100c: %d connections to 127.0.0.1 opened from the server's own process and"
                        + " kept open, nothing sent; after %s to settle, CPU time over %s as %% of one core"
                        + " (100 = one core busy): cpu = the server's whole JVM (the server, the silent client,"
                        + " the JIT and GC; in clock ticks of %d ms, so in steps of %.2f %%core here),"
                        + " cpu-threads = the server's own threads only (ThreadMXBean, in ns; for jdk-vt its"
                        + " acceptor, the default scheduler's carriers and the JDK's pollers %s).%n",
                NetCase.CONNECTIONS, seconds(plan.idleSettle()), seconds(plan.idleWindow()),
                IdleMeter.PROCESS_TICK.toMillis(),
                IdleMeter.PROCESS_TICK.toNanos() * 100.0 / plan.idleWindow().toNanos(),
                String.join(", ", JdkVirtualThreadEcho.POLLER_THREADS));
        table.println("workers: 2 (cases without -1w) or 1 (-1w) event-loop threads for weft, weft-nio,"
                + " netty-uring, netty-epoll, on the server's CPU; TCP_NODELAY on every connection of every"
                + " server.");
        for (String impl : impls) {
            List<String> jvmFlags = flags.jvmFlags(impl);
            String configuration = run.configurations.getOrDefault(impl, "");
            if (!jvmFlags.isEmpty() || !configuration.isEmpty()) {
                table.printf(Locale.ROOT, "%s: %s%s%s%n", impl,
                        jvmFlags.isEmpty() ? "" : "JVM flags " + String.join(" ", jvmFlags),
                        jvmFlags.isEmpty() || configuration.isEmpty() ? "" : "; ", configuration);
            }
        }
        table.println(load);
        table.println();
        table.print(ResultTable.render(report));
        for (String note : run.notes) {
            table.println("note: " + note);
        }
        table.println();
        table.print(NetTargets.render(report));
        table.printf(Locale.ROOT, "%nwall time: %.1f s%n", (System.nanoTime() - run.started) / 1e9);
        if (!run.corrupt.isEmpty()) {
            table.println();
            table.println("CORRUPT ECHO (a server changed, lost or added bytes; its figures are void):");
            run.corrupt.forEach(c -> table.println("  " + c));
        }
        table.flush();
        if (!run.corrupt.isEmpty()) {
            throw new IllegalStateException("net: " + run.corrupt.size() + " corrupt echo"
                    + (run.corrupt.size() == 1 ? "" : "es") + ": " + String.join("; ", run.corrupt));
        }
        return report;
    }

    /** The state of one run of the suite: its processes and what they measured. */
    private final class SuiteRun implements AutoCloseable {
        final NetPlan plan;
        final PrintWriter progress;
        final CpuSplit split;
        final long started = System.nanoTime();
        final Optional<MachineLoad> loadAtStart = MachineLoad.now();
        final List<String> ready = new ArrayList<>();
        final Samples samples = new Samples();
        final List<String> corrupt = new ArrayList<>();
        final List<String> notes = new ArrayList<>();
        final Map<String, String> configurations = new HashMap<>();
        /** The live process of each ready implementation; absent after a failure until next needed. */
        final Map<String, ServerProcess> processes = new HashMap<>();
        GeneratorProcess generator;
        String generatorPid = "none";

        SuiteRun(NetPlan plan, PrintWriter progress, CpuSplit split) {
            this.plan = plan;
            this.progress = progress;
            this.split = split;
        }

        /** Starts the generator's process and every implementation's, and checks each. */
        void open() {
            Optional<String> noGenerator = Optional.empty();
            try {
                generator();
            } catch (Throwable e) {
                noGenerator = Optional.of("the load generator's process cannot start: " + FailureLine.of(e));
            }
            for (String impl : impls) {
                Optional<String> reason = noGenerator;
                if (reason.isEmpty()) {
                    try {
                        ServerProcess p = server(impl);
                        reason = p.unavailableReason();
                        configurations.put(impl, p.configuration());
                    } catch (Throwable e) {
                        reason = Optional.of("cannot run here: its process does not start: " + FailureLine.of(e));
                    }
                }
                if (reason.isEmpty()) {
                    try {
                        echoOnce(impl, CHECK_LOAD, 1, Duration.ZERO, CHECK_TIME);
                    } catch (CorruptEchoException e) {
                        corrupt.add(impl + " in the check: " + e.getMessage());
                        reason = Optional.of("CORRUPT ECHO in the check: " + e.getMessage());
                    } catch (Throwable e) {
                        reason = Optional.of("cannot run here: " + FailureLine.of(e));
                    }
                }
                if (reason.isPresent()) {
                    samples.unavailable(impl, reason.get());
                    progress.println("net: " + impl + " skipped: " + reason.get());
                    ServerProcess p = processes.remove(impl);
                    if (p != null) {
                        p.close();
                    }
                } else {
                    ready.add(impl);
                }
            }
            progress.flush();
        }

        /** Runs the generator once per message size against every ready implementation. */
        void warm() {
            if (ready.isEmpty() || !plan.generatorWarmup().isPositive()) {
                return;
            }
            for (String impl : ready) {
                Set<Integer> sizes = new HashSet<>();
                for (NetCase c : NetCase.of(NetCase.Kind.ECHO)) {
                    if (sizes.add(c.messageBytes())) {
                        try {
                            echoOnce(impl, c.load(), c.workers(), Duration.ZERO, plan.generatorWarmup());
                        } catch (Throwable e) {
                            progress.println("net: warming up against " + impl + " failed: "
                                    + FailureLine.of(e) + " (its measurements will say more)");
                        }
                    }
                }
            }
            progress.printf(Locale.ROOT, "net: warmed up against %s (%s per message size)%n",
                    String.join(", ", ready), seconds(plan.generatorWarmup()));
            progress.flush();
        }

        /**
         * Measured rounds, until the plan's count or until one more would exceed the budget (at
         * least {@link NetPlan#MIN_ROUNDS}, or the plan's count if lower).
         *
         * @return the number of measured rounds run
         */
        int measure() {
            int rounds = 0;
            long longest = 0;
            int least = Math.min(NetPlan.MIN_ROUNDS, plan.rounds());
            while (rounds < plan.rounds()) {
                if (rounds >= least && System.nanoTime() - started + longest > plan.budget().toNanos()) {
                    progress.printf(Locale.ROOT, "net: stopping after %d of %d rounds: one more would"
                            + " exceed the %d s budget%n", rounds, plan.rounds(), plan.budget().toSeconds());
                    break;
                }
                long roundStart = System.nanoTime();
                round(rounds);
                longest = Math.max(longest, System.nanoTime() - roundStart);
                rounds++;
            }
            return rounds;
        }

        /** One round: every case, every implementation still in the running. */
        void round(int round) {
            String label = "round " + (round + 1) + "/" + plan.rounds();
            long roundStart = System.nanoTime();
            NetCase[] cases = NetCase.values();
            for (int ci = 0; ci < cases.length; ci++) {
                NetCase c = cases[ci];
                for (String impl : order(impls, round, ci)) {
                    String key = key(c, impl);
                    if (!ready.contains(impl) || samples.isOut(c.id(), impl)) {
                        continue;
                    }
                    CaseProgress.measuring(label, c.id(), impl);
                    try {
                        String line = switch (c.kind()) {
                            case ECHO -> echo(c, impl);
                            case IDLE -> idle(c, impl);
                        };
                        progress.printf(Locale.ROOT, "net: %s %s %s: %s%n", label, c.id(), impl, line);
                    } catch (CorruptEchoException e) {
                        corrupt.add(key + " in " + label + ": " + e.getMessage());
                        samples.fail(c.id(), impl, "CORRUPT ECHO in " + label + ": " + e.getMessage());
                        progress.println("net: CORRUPT ECHO: " + key + ": " + e.getMessage());
                    } catch (Throwable e) {
                        String reason = "failed in " + label + ": " + FailureLine.of(e);
                        samples.fail(c.id(), impl, reason);
                        notes.add(key + " " + reason);
                        progress.println("net: " + key + " " + reason);
                    }
                    progress.flush();
                }
            }
            progress.printf(Locale.ROOT, "net: %s done in %.1f s%n", label, (System.nanoTime() - roundStart) / 1e9);
            progress.flush();
        }

        /** Measures an echo case on {@code impl} and keeps its figures; the progress line. */
        private String echo(NetCase c, String impl) throws Exception {
            LoadGenerator.Outcome o = echoOnce(impl, c.load(), c.workers(), plan.warmup(), plan.measure());
            if (o.messages() == 0) {
                throw new IllegalStateException("no message echoed in the measured " + seconds(plan.measure()));
            }
            samples.keep(c.id(), impl, NetCase.THROUGHPUT, o.throughput());
            samples.keep(c.id(), impl, NetCase.P50, o.p50());
            samples.keep(c.id(), impl, NetCase.P99, o.p99());
            samples.keep(c.id(), impl, NetCase.CPU_PER_OP, o.cpuPerOp());
            return ResultTable.quantity(o.throughput(), "msgs/s") + ", p50 " + ResultTable.quantity(o.p50(), "ns")
                    + ", p99 " + ResultTable.quantity(o.p99(), "ns") + ", cpu-per-op "
                    + ResultTable.quantity(o.cpuPerOp(), "µs");
        }

        /** Measures the idle case on {@code impl} and keeps its figures; the progress line. */
        private String idle(NetCase c, String impl) throws Exception {
            IdleMeter.Outcome o = idleOnce(impl, c.workers());
            samples.keep(c.id(), impl, NetCase.CPU, o.processPercent());
            samples.keep(c.id(), impl, NetCase.CPU_THREADS, o.threadsPercent());
            return String.format(Locale.ROOT, "cpu %s, cpu-threads %s (%d threads)",
                    ResultTable.quantity(o.processPercent(), NetCase.PERCENT_CORE),
                    ResultTable.quantity(o.threadsPercent(), NetCase.PERCENT_CORE), o.threads());
        }

        /** An echo measurement: a fresh server in {@code impl}'s process, driven by the generator's. */
        LoadGenerator.Outcome echoOnce(String impl, LoadGenerator.Load load, int workers, Duration warmup,
                                       Duration measure) throws Exception {
            return measureOnce(impl, workers, (p, port) -> {
                try {
                    return generator().echo(port, p.pid(), load, warmup, measure, NetPlan.timeout(warmup, measure));
                } catch (IOException e) {
                    if (!generator.isAlive()) { // hung or died: the next measurement gets a fresh one
                        generator.close();
                        generator = null;
                    }
                    throw e;
                }
            });
        }

        /** An idle measurement: the idle meter in {@code impl}'s process against a fresh server. */
        IdleMeter.Outcome idleOnce(String impl, int workers) throws Exception {
            return measureOnce(impl, workers, (p, port) -> p.idle(plan.idleSettle(), plan.idleWindow(),
                    plan.idleTimeout()));
        }

        /**
         * Starts a server of {@code impl} with {@code workers} in its process, runs
         * {@code measurement}, stops the server. On any failure the process is closed, so that the
         * next measurement of {@code impl} starts a fresh one.
         */
        <T> T measureOnce(String impl, int workers, Measurement<T> measurement) throws Exception {
            ServerProcess p = server(impl);
            try {
                int port = p.startServer(workers);
                T outcome;
                try {
                    outcome = measurement.run(p, port);
                } catch (Throwable e) {
                    try {
                        p.stopServer();
                    } catch (Throwable stop) {
                        e.addSuppressed(stop);
                    }
                    throw e;
                }
                p.stopServer();
                return outcome;
            } catch (Throwable e) {
                processes.remove(impl);
                p.close();
                throw e;
            }
        }

        /** The live process of {@code impl}, started now if it has none. */
        ServerProcess server(String impl) throws IOException {
            ServerProcess p = processes.get(impl);
            if (p != null && p.isAlive()) {
                return p;
            }
            if (p != null) {
                p.close();
            }
            p = ServerProcess.start(impl, servers, flags.jvmFlags(impl), split);
            processes.put(impl, p);
            return p;
        }

        /** The live generator's process, started now if there is none. */
        GeneratorProcess generator() throws IOException {
            if (generator == null || !generator.isAlive()) {
                if (generator != null) {
                    generator.close();
                }
                generator = GeneratorProcess.start(split);
                generatorPid = Long.toString(generator.pid());
            }
            return generator;
        }

        /**
         * Measured results per case, metric and impl, then a skipped entry per (case, impl) that
         * did not run.
         */
        List<Result> results() {
            return samples.results(List.of(NetCase.values()), impls);
        }

        /** Ends every process this run started. */
        @Override
        public void close() {
            processes.values().forEach(ServerProcess::close);
            processes.clear();
            if (generator != null) {
                generator.close();
                generator = null;
            }
        }
    }

    /** What a measurement does with a started server in its process. */
    @FunctionalInterface
    private interface Measurement<T> {
        T run(ServerProcess process, int port) throws Exception;
    }

    private static String key(NetCase c, String impl) {
        return c.id() + "/" + impl;
    }

    private static String seconds(Duration d) {
        return String.format(Locale.ROOT, "%.1f s", d.toMillis() / 1e3);
    }
}
