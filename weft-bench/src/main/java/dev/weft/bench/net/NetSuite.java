package dev.weft.bench.net;

import dev.weft.bench.BenchSuite;
import dev.weft.bench.FailureLine;
import dev.weft.bench.JvmActivity;
import dev.weft.bench.MachineLoad;
import dev.weft.bench.Result;
import dev.weft.bench.ResultTable;
import dev.weft.bench.Samples;
import dev.weft.bench.SuiteReport;
import io.netty.util.Version;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

/**
 * The net suite: echo servers on loopback driven by one load generator in the same JVM, weft's
 * servers ({@code weft}, {@code weft-nio}) against Netty 4.2 over io_uring ({@code netty-uring})
 * and epoll ({@code netty-epoll}) and a plain JDK server with a virtual thread per connection
 * ({@code jdk-vt}).
 *
 * <h2>Method</h2>
 * <ol>
 *   <li>Each implementation is asked whether it can run here ({@link
 *       EchoServer#unavailableReason()}), then checked: started with one worker and driven by two
 *       connections for a moment. One that cannot run is reported as skipped in every case, with
 *       the reason.</li>
 *   <li>The load generator warms up against the first implementation that runs, once per
 *       message size (not reported), so that the first implementation measured does not pay for
 *       compiling the generator.</li>
 *   <li>Measured rounds, until the plan's count or its time budget ({@link NetPlan}). A round
 *       measures every case on every implementation, one measurement at a time; the order of the
 *       implementations is reversed from one case to the next and from one round to the next, so
 *       none always runs first or last. A measurement starts a fresh server with the case's
 *       worker count, runs the {@link LoadGenerator} against it (warm-up, then the measured
 *       period), and closes the server. In the idle case ({@code idle-100c}) the
 *       {@link IdleMeter} runs instead: it opens the connections, sends nothing, lets the server
 *       settle, and measures the CPU time used over a window, by the whole JVM and by the
 *       server's own threads ({@link EchoServer#cpuThreadNamePrefixes()}).</li>
 *   <li>A measurement that fails (a stall, a closed connection), outlives
 *       {@link NetPlan#timeout()} ({@link NetPlan#idleTimeout()} in the idle case), or leaves one
 *       of the server's threads alive marks that
 *       (case, impl) skipped with the reason; the rest goes on. A corrupt echo is printed as
 *       {@code CORRUPT ECHO} and fails the whole run once the table is printed.</li>
 *   <li>Each metric is the median over measured rounds, with min and max; the report says how
 *       much CPU other processes used and what the JIT and GC did during the measured rounds.</li>
 * </ol>
 * The generator and the server share the machine's cores; every implementation gets the same
 * split: the generator's one thread and the case's worker count (for {@code jdk-vt}, the JDK's
 * default scheduler: see {@link JdkVirtualThreadEcho}).
 */
public final class NetSuite implements BenchSuite {

    /** The suite name. */
    public static final String NAME = "net";

    /** Creates an unstarted server of one implementation. */
    @FunctionalInterface
    public interface ServerFactory {
        /** @throws Exception when the implementation cannot be created here */
        EchoServer create(String impl) throws Exception;
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
    /** How long an interrupted measurement may take to end before it counts as hung. */
    private static final long GRACE_MILLIS = 10_000;
    /** How long a closed server's threads may take to disappear from the thread list. */
    private static final long THREAD_EXIT_MILLIS = 2_000;
    private static final String DRIVER_THREAD = "weft-bench-net-driver";

    private final List<String> impls;
    private final ServerFactory servers;
    private final NetPlan quickPlan;
    private final NetPlan fullPlan;
    /** Threads of measurements that hung: reported once, not again by later leak checks. */
    private final Set<Thread> abandoned = new HashSet<>();

    /** Every implementation of {@link EchoServers}, with the standard plans. */
    public NetSuite() {
        this(EchoServers.IMPLS, EchoServers::create, NetPlan.QUICK, NetPlan.FULL);
    }

    /**
     * @param impls     implementation names, {@code weft} first; the table keeps this order
     * @param servers   creates each implementation's servers
     * @param quickPlan the plan of {@code --quick}
     * @param fullPlan  the plan otherwise
     */
    public NetSuite(List<String> impls, ServerFactory servers, NetPlan quickPlan, NetPlan fullPlan) {
        this.impls = List.copyOf(impls);
        this.servers = Objects.requireNonNull(servers, "servers");
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

    @Override
    public SuiteReport run(boolean quick, PrintWriter table, PrintWriter progress) {
        NetPlan plan = quick ? quickPlan : fullPlan;
        SuiteRun run = new SuiteRun(plan, progress);
        progress.printf(Locale.ROOT, "net: up to %d measured rounds of %d cases x %d implementations,"
                        + " each %s warm-up + %s measured%n", plan.rounds(), NetCase.values().length,
                impls.size(), seconds(plan.warmup()), seconds(plan.measure()));
        progress.flush();
        run.open();
        run.warmGenerator();
        JvmActivity measuredStart = JvmActivity.now();
        int rounds = run.measure();
        JvmActivity measuredJvm = JvmActivity.now().since(measuredStart);
        String load = MachineLoad.describeSince(run.loadAtStart);
        progress.println("net: " + load);
        progress.flush();

        SuiteReport report = SuiteReport.ofThisJvm(NAME, quick, run.results());
        table.printf(Locale.ROOT, "weft bench net%s: median of %d measured round%s (of %d planned); each"
                        + " measurement a fresh server, %s warm-up then %s measured; implementation"
                        + " order reversed every case and round; one JVM (jdk %s, %d cpus).%n",
                quick ? " --quick" : "", rounds, rounds == 1 ? "" : "s", plan.rounds(),
                seconds(plan.warmup()), seconds(plan.measure()), report.jdk(), report.cpus());
        table.printf(Locale.ROOT, "load: one generator thread (java.nio Selector) in the same JVM,"
                        + " %d connections to 127.0.0.1, each keeping %d messages of 64 B or %d of 4 KiB"
                        + " in flight (closed loop); every echoed byte is checked.%n", NetCase.CONNECTIONS,
                NetCase.SMALL_PIPELINE_DEPTH, NetCase.LARGE_PIPELINE_DEPTH);
        table.println("throughput = messages echoed per second; p50/p99 = time from handing a message to"
                + " the socket to having the last byte of its echo.");
        table.printf(Locale.ROOT, "idle-100c: %d connections to 127.0.0.1 opened and kept open, nothing sent;"
                        + " after %s to settle, CPU time over %s as %% of one core (100 = one core busy):"
                        + " cpu = the whole JVM's (getProcessCpuTime: the server, the silent client and the"
                        + " JVM's own JIT and GC threads; in clock ticks of %d ms on Linux, so in steps of"
                        + " %.2f %%core here), cpu-threads = the server's own threads only (ThreadMXBean, in ns;"
                        + " threads named by the server; for jdk-vt its acceptor, the default scheduler's"
                        + " carriers %s* and the JDK's pollers %s).%n", NetCase.CONNECTIONS,
                seconds(plan.idleSettle()), seconds(plan.idleWindow()), IdleMeter.PROCESS_TICK.toMillis(),
                IdleMeter.PROCESS_TICK.toNanos() * 100.0 / plan.idleWindow().toNanos(),
                JdkVirtualThreadEcho.carrierNamePrefix(), String.join(", ", JdkVirtualThreadEcho.POLLER_THREADS));
        table.printf(Locale.ROOT, "workers: 2 (cases without -1w) or 1 (-1w) event-loop threads for weft,"
                        + " weft-nio, netty-uring, netty-epoll; jdk-vt runs on the JDK's one default"
                        + " virtual-thread scheduler, parallelism %d in every case (it cannot be set per"
                        + " server in one JVM). The generator's thread shares the %d cpus with them.%n",
                JdkVirtualThreadEcho.schedulerParallelism(), report.cpus());
        table.printf(Locale.ROOT, "netty %s with its defaults (io.netty.noUnsafe=%s); TCP_NODELAY on every"
                        + " connection of every server.%n", nettyVersion(),
                System.getProperty("io.netty.noUnsafe", "unset, Netty's default"));
        table.println(load);
        table.println("JVM during the measured rounds: " + measuredJvm);
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

    /** The state of one run of the suite. */
    private final class SuiteRun {
        final NetPlan plan;
        final PrintWriter progress;
        final long started = System.nanoTime();
        final Optional<MachineLoad> loadAtStart = MachineLoad.now();
        final List<String> ready = new ArrayList<>();
        final Samples samples = new Samples();
        final List<String> corrupt = new ArrayList<>();
        final List<String> notes = new ArrayList<>();

        SuiteRun(NetPlan plan, PrintWriter progress) {
            this.plan = plan;
            this.progress = progress;
        }

        /** Asks and checks every implementation; one that cannot run is unavailable. */
        void open() {
            for (String impl : impls) {
                Optional<String> reason;
                try (EchoServer probe = servers.create(impl)) {
                    reason = probe.unavailableReason();
                } catch (Throwable e) {
                    reason = Optional.of("cannot run here: " + FailureLine.of(e));
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
                } else {
                    ready.add(impl);
                }
            }
            progress.flush();
        }

        /** Runs the generator once per message size against the first ready implementation. */
        void warmGenerator() {
            if (ready.isEmpty() || !plan.generatorWarmup().isPositive()) {
                return;
            }
            String impl = ready.getFirst();
            Set<Integer> sizes = new HashSet<>();
            for (NetCase c : NetCase.of(NetCase.Kind.ECHO)) {
                if (sizes.add(c.messageBytes())) {
                    try {
                        echoOnce(impl, c.load(), c.workers(), Duration.ZERO, plan.generatorWarmup());
                    } catch (Throwable e) {
                        progress.println("net: warming the generator against " + impl + " failed: "
                                + FailureLine.of(e) + " (its measurements will say more)");
                    }
                }
            }
            progress.printf(Locale.ROOT, "net: generator warmed against %s (%s per message size)%n",
                    impl, seconds(plan.generatorWarmup()));
            progress.flush();
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
                if (rounds > 0 && System.nanoTime() - started + longest > plan.budget().toNanos()) {
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
            JvmActivity before = JvmActivity.now();
            NetCase[] cases = NetCase.values();
            for (int ci = 0; ci < cases.length; ci++) {
                NetCase c = cases[ci];
                for (String impl : (round + ci) % 2 == 0 ? impls : impls.reversed()) {
                    String key = key(c, impl);
                    if (!ready.contains(impl) || samples.isOut(c.id(), impl)) {
                        continue;
                    }
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
            progress.printf(Locale.ROOT, "net: %s done in %.1f s (%s)%n", label,
                    (System.nanoTime() - roundStart) / 1e9, JvmActivity.now().since(before));
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
            return ResultTable.quantity(o.throughput(), "msgs/s") + ", p50 " + ResultTable.quantity(o.p50(), "ns")
                    + ", p99 " + ResultTable.quantity(o.p99(), "ns");
        }

        /** Measures the idle case on {@code impl} and keeps its figures; the progress line. */
        private String idle(NetCase c, String impl) throws Exception {
            IdleMeter.Outcome o = idleOnce(impl, c.workers(), plan);
            samples.keep(c.id(), impl, NetCase.CPU, o.processPercent());
            samples.keep(c.id(), impl, NetCase.CPU_THREADS, o.threadsPercent());
            return String.format(Locale.ROOT, "cpu %s, cpu-threads %s (%d threads)",
                    ResultTable.quantity(o.processPercent(), NetCase.PERCENT_CORE),
                    ResultTable.quantity(o.threadsPercent(), NetCase.PERCENT_CORE), o.threads());
        }

        /**
         * Measured results per case, metric and impl, then a skipped entry per (case, impl) that
         * did not run.
         */
        List<Result> results() {
            return samples.results(List.of(NetCase.values()), impls);
        }
    }

    /** An echo measurement: {@link #measureOnce} driving the server with the {@link LoadGenerator}. */
    private LoadGenerator.Outcome echoOnce(String impl, LoadGenerator.Load load, int workers, Duration warmup,
                                           Duration measure) throws Exception {
        return measureOnce(impl, workers, NetPlan.timeout(warmup, measure),
                (server, port) -> new LoadGenerator(load).run(port, warmup, measure));
    }

    /** An idle measurement: {@link #measureOnce} with the {@link IdleMeter} and the plan's settle and window. */
    private IdleMeter.Outcome idleOnce(String impl, int workers, NetPlan plan) throws Exception {
        return measureOnce(impl, workers, plan.idleTimeout(), (server, port) -> new IdleMeter(NetCase.CONNECTIONS)
                .run(port, server.cpuThreadNamePrefixes(), plan.idleSettle(), plan.idleWindow()));
    }

    /** What a measurement does with a started server. */
    @FunctionalInterface
    private interface Measurement<T> {
        T run(EchoServer server, int port) throws Exception;
    }

    /**
     * One measurement on a fresh driver thread: starts a server of {@code impl} with
     * {@code workers}, runs {@code measurement} against it, closes it. Waits at most
     * {@code timeout} (then interrupts the driver, and abandons it if it does not end within
     * {@link #GRACE_MILLIS}); then checks that the server left none of its threads alive.
     */
    private <T> T measureOnce(String impl, int workers, Duration timeout, Measurement<T> measurement)
            throws Exception {
        AtomicReference<T> outcome = new AtomicReference<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        AtomicReference<EchoServer> started = new AtomicReference<>();
        Thread driver = Thread.ofPlatform().name(DRIVER_THREAD).daemon().unstarted(() -> {
            EchoServer server = null;
            try {
                server = servers.create(impl);
                started.set(server);
                int port = server.start(workers);
                outcome.set(measurement.run(server, port));
            } catch (Throwable e) {
                failure.set(e);
            } finally {
                if (server != null) {
                    try {
                        server.close();
                    } catch (Throwable e) {
                        if (failure.get() == null) {
                            failure.set(e);
                        } else {
                            failure.get().addSuppressed(e);
                        }
                    }
                }
            }
        });
        driver.start();
        driver.join(timeout.toMillis());
        if (driver.isAlive()) {
            driver.interrupt();
            driver.join(GRACE_MILLIS);
            String what = "did not finish within " + timeout.toSeconds() + " s";
            if (driver.isAlive()) {
                abandoned.add(driver);
                abandoned.addAll(leftover(started.get()));
                throw new IllegalStateException(what + " and did not end when interrupted: hung");
            }
            abandoned.addAll(leftover(started.get()));
            throw new IllegalStateException(what + " and was interrupted (a slow machine?)");
        }
        if (failure.get() != null) {
            abandoned.addAll(leftover(started.get()));
            switch (failure.get()) {
                case Exception e -> throw e;
                case Error e -> throw e;
                default -> throw new IllegalStateException(failure.get());
            }
        }
        List<Thread> leaked = leftover(started.get());
        long deadline = System.nanoTime() + THREAD_EXIT_MILLIS * 1_000_000;
        while (!leaked.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(10);
            leaked = leftover(started.get());
        }
        if (!leaked.isEmpty()) {
            abandoned.addAll(leaked);
            throw new IllegalStateException("the server left threads running after close(): "
                    + leaked.stream().map(Thread::getName).sorted().collect(Collectors.joining(", ")));
        }
        return outcome.get();
    }

    /** Live platform threads of {@code server} that no earlier failure accounted for. */
    private List<Thread> leftover(EchoServer server) {
        if (server == null) {
            return List.of();
        }
        List<String> prefixes = server.threadNamePrefixes();
        List<Thread> left = new ArrayList<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.isAlive() && !abandoned.contains(t) && prefixes.stream().anyMatch(p -> t.getName().startsWith(p))) {
                left.add(t);
            }
        }
        return left;
    }

    private static String key(NetCase c, String impl) {
        return c.id() + "/" + impl;
    }

    private static String seconds(Duration d) {
        return String.format(Locale.ROOT, "%.1f s", d.toMillis() / 1e3);
    }

    private static String nettyVersion() {
        Version transport = Version.identify().get("netty-transport");
        return transport == null ? "(version unknown)" : transport.artifactVersion();
    }
}
