package dev.weft.bench.http;

import dev.weft.bench.BenchSuite;
import dev.weft.bench.FailureLine;
import dev.weft.bench.CaseProgress;
import dev.weft.bench.LatinSquare;
import dev.weft.bench.MachineLoad;
import dev.weft.bench.ProcessCpu;
import dev.weft.bench.ResultTable;
import dev.weft.bench.Samples;
import dev.weft.bench.SuiteReport;
import dev.weft.bench.io.Tools;
import dev.weft.bench.net.CpuSplit;
import java.io.IOException;
import java.io.PrintWriter;
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
import java.util.function.Function;

/**
 * The http suite ({@code weft bench http}): {@code weft serve} against nginx ({@code nginx}),
 * Netty 4.2's HTTP codec over io_uring ({@code netty-uring}) and epoll ({@code netty-epoll}), and
 * Helidon SE 4's virtual-thread server ({@code helidon}), loaded by wrk on loopback in the cases
 * of {@link HttpCase}.
 *
 * <h2>Method</h2>
 * <ol>
 *   <li>Processes: every server runs in processes of its own (a JVM per Java server, nginx's
 *       master and workers), with the same worker count ({@link HttpPlan#workers()}), pinned to
 *       one CPU; wrk runs pinned to another ({@link CpuSplit}; when pinning is impossible the
 *       report says why). This JVM only directs them. wrk and nginx come from Debian; a missing
 *       one is installed with apt-get when the bench runs as root, or every implementation that
 *       needs it is skipped with a reason naming the package.</li>
 *   <li>Each server is started once, serving the same {@link BenchFiles}, and checked
 *       ({@link ResponseCheck}: every route and file answered right); one that cannot start or
 *       answers wrong is skipped in every case with the reason. It then serves the whole run; a
 *       server that dies is started afresh for its next measurement.</li>
 *   <li>Warm-up: wrk runs every case against every server for {@link HttpPlan#warmup()}, not
 *       reported.</li>
 *   <li>Measured rounds, as many as the plan says within its budget, never fewer than
 *       {@link HttpPlan#MIN_ROUNDS}: each case on each implementation in the order of a row of a
 *       {@link LatinSquare} (row {@code round + case index}). A measurement is one wrk run
 *       ({@link Wrk}) of {@link HttpPlan#measure()}; the server's CPU time (its processes'
 *       {@code /proc/<pid>/stat}) is read just before wrk starts and just after it ends. A run in
 *       which wrk saw any error (connect, read, write, timeout, a status above 399) fails: that
 *       (case, impl) is skipped with the errors named, and the rest goes on.</li>
 *   <li>Each metric is the median over the rounds, with min and max: {@code throughput} =
 *       responses / wrk's duration, {@code p50}/{@code p99} = wrk's latency percentiles (from
 *       writing a request to reading its response, closed loop, with wrk's own correction for
 *       coordinated omission; not for the pipelined case, {@link HttpCase#metrics()}),
 *       {@code cpu-per-op} = the server's CPU time over the
 *       run per response.</li>
 * </ol>
 */
public final class HttpSuite implements BenchSuite {

    /** The suite name. */
    public static final String NAME = "http";

    private final Function<PrintWriter, List<HttpTarget>> targets;
    private final Function<PrintWriter, Optional<String>> generator;
    private final HttpPlan quickPlan;
    private final HttpPlan fullPlan;

    /** weft and every peer, with the standard plans; wrk and nginx installed when missing and root. */
    public HttpSuite() {
        this(HttpSuite::standardTargets, progress -> Tools.ensure("wrk", Wrk.PACKAGE, progress), HttpPlan.QUICK,
                HttpPlan.FULL);
    }

    /**
     * Some of the implementations ({@code weft}, {@code nginx}, {@code netty-uring},
     * {@code netty-epoll}, {@code helidon}), with the given plans.
     *
     * @throws IllegalArgumentException naming an implementation the suite does not have, and the
     *                                  ones it has
     */
    public HttpSuite(List<String> impls, HttpPlan quickPlan, HttpPlan fullPlan) {
        this(progress -> standardTargets(progress, impls), progress -> Tools.ensure("wrk", Wrk.PACKAGE, progress),
                quickPlan, fullPlan);
        List<String> known = new ArrayList<>(List.of(ResultTable.WEFT, NginxTarget.IMPL));
        known.addAll(HttpPeerMain.IMPLS);
        for (String impl : impls) {
            if (!known.contains(impl)) {
                throw new IllegalArgumentException("the http suite has no implementation '" + impl + "'; it has "
                        + String.join(", ", known));
            }
        }
    }

    /**
     * @param targets   the implementations, {@code weft} first (the table keeps this order), given
     *                  the progress writer (for installing what they need)
     * @param generator why wrk cannot run here (installing it if it may), empty when it can
     * @param quickPlan the plan of {@code --quick}
     * @param fullPlan  the plan otherwise
     */
    HttpSuite(Function<PrintWriter, List<HttpTarget>> targets, Function<PrintWriter, Optional<String>> generator,
              HttpPlan quickPlan, HttpPlan fullPlan) {
        this.targets = Objects.requireNonNull(targets, "targets");
        this.generator = Objects.requireNonNull(generator, "generator");
        this.quickPlan = Objects.requireNonNull(quickPlan, "quickPlan");
        this.fullPlan = Objects.requireNonNull(fullPlan, "fullPlan");
    }

    /** {@code weft}, {@code nginx} (installed if missing and root), then the Java peers. */
    static List<HttpTarget> standardTargets(PrintWriter progress) {
        List<String> all = new ArrayList<>(List.of(ResultTable.WEFT, NginxTarget.IMPL));
        all.addAll(HttpPeerMain.IMPLS);
        return standardTargets(progress, all);
    }

    /** Those of the standard targets named in {@code impls}, in the standard order. */
    private static List<HttpTarget> standardTargets(PrintWriter progress, List<String> impls) {
        List<HttpTarget> all = new ArrayList<>();
        if (impls.contains(ResultTable.WEFT)) {
            all.add(JvmTarget.weft());
        }
        if (impls.contains(NginxTarget.IMPL)) {
            Optional<String> nginx = NginxTarget.executable().isPresent() ? Optional.empty()
                    : Tools.ensure("nginx", NginxTarget.PACKAGE, progress);
            all.add(new NginxTarget(nginx));
        }
        HttpPeerMain.IMPLS.stream().filter(impls::contains).forEach(impl -> all.add(JvmTarget.peer(impl)));
        return all;
    }

    /**
     * The order of the implementations in round {@code round} of case number {@code caseIndex}:
     * row {@code round + caseIndex} of the {@link LatinSquare} over {@code impls}.
     */
    static List<String> order(List<String> impls, int round, int caseIndex) {
        return LatinSquare.row(impls, round + caseIndex);
    }

    @Override
    public SuiteReport run(boolean quick, PrintWriter table, PrintWriter progress) {
        HttpPlan plan = quick ? quickPlan : fullPlan;
        Optional<MachineLoad> loadAtStart = MachineLoad.now();
        CpuSplit split = CpuSplit.detect();
        Optional<String> noWrk = generator.apply(progress);
        List<HttpTarget> all = List.copyOf(targets.apply(progress));
        List<String> impls = all.stream().map(HttpTarget::impl).toList();
        progress.printf(Locale.ROOT, "http: %d to %d measured rounds of %d cases x %d implementations, %s per"
                        + " measurement; %s%n", Math.min(HttpPlan.MIN_ROUNDS, plan.rounds()), plan.rounds(),
                HttpCase.values().length, impls.size(), seconds(plan.measure()), split.describe());
        progress.flush();
        Run run = new Run(plan, progress, split, all);
        int rounds = 0;
        try {
            run.open(noWrk);
            run.warm();
            rounds = run.measure();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("http: the suite's files cannot be made: " + e.getMessage(), e);
        } finally {
            run.close();
        }
        String load = MachineLoad.describeSince(loadAtStart);
        progress.println("http: " + load);
        progress.flush();

        SuiteReport report = SuiteReport.ofThisJvm(NAME, quick, run.samples.results(List.of(HttpCase.values()), impls));
        table.printf(Locale.ROOT, "weft bench http%s: median of %d measured round%s (of %d planned); each"
                        + " measurement one wrk run of %s against a server that serves the whole run, after %s of"
                        + " warm-up per case and server; implementation order by the rows of a Latin square (%s);"
                        + " jdk %s, %d cpus.%n", quick ? " --quick" : "", rounds, rounds == 1 ? "" : "s",
                plan.rounds(), seconds(plan.measure()), seconds(plan.warmup()), rounds >= impls.size()
                        ? "every implementation at every position in every case"
                        : rounds + " of its " + impls.size() + " rows, so not every implementation at every position",
                report.jdk(), report.cpus());
        table.printf(Locale.ROOT, "processes: wrk (one thread, -t1) in a process of its own, every server in processes"
                        + " of its own (a JVM with %s each, or nginx's master and workers); %s. %d worker%s per"
                        + " server: event loops for weft and Netty, worker_processes for nginx, virtual-thread"
                        + " carriers for Helidon.%n", dev.weft.bench.ChildJvm.HEAP, split.describe(), plan.workers(),
                plan.workers() == 1 ? "" : "s");
        table.println("cases: " + String.join("; ", java.util.Arrays.stream(HttpCase.values()).map(c -> c.id()
                + " = GET " + c.path() + " over " + c.connections() + " connections"
                + (c.depth() > 1 ? ", " + c.depth() + " requests per write" : "")).toList()) + ".");
        table.printf(Locale.ROOT, "throughput = responses per second of wrk's duration; p50/p99 = wrk's latency"
                        + " percentiles (request written to response read, closed loop, with wrk's own correction for"
                        + " coordinated omission; none for the pipelined case, where wrk times batches); cpu-per-op = CPU time (user + system,"
                        + " /proc/<pid>/stat in ticks of %d ms) of all the server's processes over the wrk run, per"
                        + " response. A run with any wrk error fails.%n", ProcessCpu.TICK.toMillis());
        run.configurations.forEach((impl, conf) -> table.println(impl + ": " + conf));
        table.println(load);
        table.println();
        table.print(ResultTable.render(report));
        run.notes.forEach(n -> table.println("note: " + n));
        table.println();
        table.print(HttpTargets.render(report));
        table.printf(Locale.ROOT, "%nwall time: %.1f s%n", (System.nanoTime() - run.started) / 1e9);
        table.flush();
        return report;
    }

    /** One run of the suite: its servers, its files and what it measured. */
    private static final class Run implements AutoCloseable {
        final HttpPlan plan;
        final PrintWriter progress;
        final CpuSplit split;
        final List<HttpTarget> all;
        final long started = System.nanoTime();
        final Samples samples = new Samples();
        final List<String> notes = new ArrayList<>();
        final Map<String, String> configurations = new LinkedHashMap<>();
        final Map<String, ChildServer> servers = new LinkedHashMap<>();
        final List<HttpTarget> ready = new ArrayList<>();
        Path scratch;
        BenchFiles files;
        Wrk wrk;

        Run(HttpPlan plan, PrintWriter progress, CpuSplit split, List<HttpTarget> all) {
            this.plan = plan;
            this.progress = progress;
            this.split = split;
            this.all = all;
        }

        /** Makes the files, starts and checks every server that can run. */
        void open(Optional<String> noWrk) throws IOException {
            scratch = Files.createTempDirectory("weft-bench-http-");
            files = BenchFiles.create();
            wrk = new Wrk(split.generatorPrefix(), scratch);
            for (HttpTarget t : all) {
                Optional<String> reason = noWrk.isPresent()
                        ? Optional.of("no load generator: " + noWrk.get()) : t.unavailableReason();
                if (reason.isEmpty()) {
                    try {
                        ChildServer s = server(t);
                        configurations.put(t.impl(), configuration(t, s));
                    } catch (Throwable e) {
                        reason = Optional.of("cannot run here: " + FailureLine.of(e));
                    }
                }
                if (reason.isPresent()) {
                    samples.unavailable(t.impl(), reason.get());
                    progress.println("http: " + t.impl() + " skipped: " + reason.get());
                } else {
                    ready.add(t);
                    progress.println("http: " + t.impl() + " answers right on 127.0.0.1:" + servers.get(t.impl()).port());
                }
                progress.flush();
            }
        }

        /** Runs wrk on every case against every ready server, unreported. */
        void warm() {
            if (!plan.warmup().isPositive()) {
                return;
            }
            for (HttpTarget t : ready) {
                for (HttpCase c : HttpCase.values()) {
                    try {
                        wrk.run(c, server(t).port(), plan.warmup());
                    } catch (Throwable e) {
                        progress.println("http: warming up " + c.id() + " on " + t.impl() + " failed: "
                                + FailureLine.of(e) + " (its measurements will say more)");
                    }
                }
            }
            progress.printf(Locale.ROOT, "http: warmed up (%s per case and server)%n", seconds(plan.warmup()));
            progress.flush();
        }

        /** Measured rounds within the budget; how many ran. */
        int measure() {
            int rounds = 0;
            long longest = 0;
            int least = Math.min(HttpPlan.MIN_ROUNDS, plan.rounds());
            List<String> impls = all.stream().map(HttpTarget::impl).toList();
            while (rounds < plan.rounds()) {
                if (rounds >= least && System.nanoTime() - started + longest > plan.budget().toNanos()) {
                    progress.printf(Locale.ROOT, "http: stopping after %d of %d rounds: one more would exceed the"
                            + " %d s budget%n", rounds, plan.rounds(), plan.budget().toSeconds());
                    break;
                }
                long roundStart = System.nanoTime();
                HttpCase[] cases = HttpCase.values();
                for (int ci = 0; ci < cases.length; ci++) {
                    for (String impl : order(impls, rounds, ci)) {
                        HttpTarget t = ready.stream().filter(r -> r.impl().equals(impl)).findFirst().orElse(null);
                        if (t == null || samples.isOut(cases[ci].id(), impl)) {
                            continue;
                        }
                        String label = "round " + (rounds + 1) + "/" + plan.rounds();
                        CaseProgress.measuring(label, cases[ci].id(), impl);
                        measureOnce(cases[ci], t, label);
                    }
                }
                longest = Math.max(longest, System.nanoTime() - roundStart);
                rounds++;
                progress.printf(Locale.ROOT, "http: round %d done in %.1f s%n", rounds,
                        (System.nanoTime() - roundStart) / 1e9);
                progress.flush();
            }
            return rounds;
        }

        /** One wrk run of {@code c} against {@code t}'s server, kept or failed. */
        void measureOnce(HttpCase c, HttpTarget t, String label) {
            String impl = t.impl();
            try {
                ChildServer s = server(t);
                long before = s.cpuNanos();
                WrkOutput o;
                try {
                    o = wrk.run(c, s.port(), plan.measure());
                } catch (IOException e) {
                    throw s.exitedWhileServing(e);
                }
                long cpu = s.cpuNanos() - before;
                o.requireClean();
                samples.keep(c.id(), impl, HttpCase.THROUGHPUT, o.throughput());
                samples.keep(c.id(), impl, HttpCase.CPU_PER_OP, ProcessCpu.microsPerOp(cpu, o.requests()));
                String latency = "";
                if (c.hasLatency()) {
                    // wrk answers 0 for a percentile its own correction left below its minimum: no figure
                    if (o.p50Micros() > 0 && o.p99Micros() > 0) {
                        samples.keep(c.id(), impl, HttpCase.P50, o.p50Micros() * 1e3);
                        samples.keep(c.id(), impl, HttpCase.P99, o.p99Micros() * 1e3);
                        latency = ", p50 " + ResultTable.quantity(o.p50Micros() * 1e3, "ns") + ", p99 "
                                + ResultTable.quantity(o.p99Micros() * 1e3, "ns");
                    } else {
                        notes.add(c.id() + "/" + impl + " " + label + ": wrk gave a latency percentile of 0; that"
                                + " round has no latency figure");
                    }
                }
                progress.printf(Locale.ROOT, "http: %s %s %s: %s%s, cpu-per-op %s%n", label, c.id(), impl,
                        ResultTable.quantity(o.throughput(), "req/s"), latency,
                        ResultTable.quantity(ProcessCpu.microsPerOp(cpu, o.requests()), "µs"));
            } catch (Throwable e) {
                String reason = "failed in " + label + ": " + FailureLine.of(e);
                samples.fail(c.id(), impl, reason);
                notes.add(c.id() + "/" + impl + " " + reason);
                progress.println("http: " + c.id() + "/" + impl + " " + reason);
                ChildServer s = servers.get(impl);
                if (s != null && !s.isAlive()) {
                    servers.remove(impl);
                    stop(s);
                }
            }
            progress.flush();
        }

        /** The live server of {@code t}, started and checked now if it has none. */
        ChildServer server(HttpTarget t) throws IOException {
            ChildServer s = servers.get(t.impl());
            if (s != null && s.isAlive()) {
                return s;
            }
            if (s != null) {
                servers.remove(t.impl());
                stop(s);
            }
            s = t.start(plan.workers(), files, split.serverPrefix(), scratch);
            try {
                ResponseCheck.check(s.port(), files);
            } catch (IOException | RuntimeException e) {
                stop(s);
                throw new IOException(t.impl() + " answers wrong: " + e.getMessage() + s.tailText(), e);
            }
            servers.put(t.impl(), s);
            return s;
        }

        private static String configuration(HttpTarget t, ChildServer s) {
            if (t instanceof NginxTarget) {
                return "nginx from Debian, generated nginx.conf: master + worker_processes, access_log off, sendfile,"
                        + " tcp_nopush, tcp_nodelay, open_file_cache, keepalive_requests 1e9";
            }
            String a = s.announcement().strip();
            return a.isEmpty() ? "" : "announced '" + a + "'";
        }

        private void stop(ChildServer s) {
            try {
                s.close();
            } catch (IOException e) {
                notes.add(s.impl() + ": " + FailureLine.of(e));
            }
        }

        @Override
        public void close() {
            servers.values().forEach(this::stop);
            servers.clear();
            try {
                if (files != null) {
                    files.close();
                }
                if (scratch != null) {
                    BenchFiles.delete(scratch);
                }
            } catch (IOException e) {
                progress.println("http: cleaning up the suite's files failed: " + FailureLine.of(e));
            }
        }
    }

    private static String seconds(Duration d) {
        return String.format(Locale.ROOT, "%.1f s", d.toMillis() / 1e3);
    }
}
