package dev.weft.bench.net;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * One server implementation's own process: a JVM, started by the suite for one impl and kept
 * while it works, that starts and closes that impl's {@link EchoServer}s on request, so that its
 * CPU time ({@link ProcessCpu}) is that server's alone. Started with the impl's own JVM flags
 * ({@link NetSuite.ServerFactory#jvmFlags}) behind the {@link CpuSplit}'s server prefix.
 *
 * <p>Requests ({@link BenchProcess}'s protocol), one server at a time:
 * <ul>
 *   <li>greeting: {@code server <pid> available <configuration>} or
 *       {@code server <pid> unavailable <reason>};</li>
 *   <li>{@code start <workers>}: a fresh server, {@code ok <port>};</li>
 *   <li>{@code idle <settle ns> <window ns>}: the {@link IdleMeter} against the started server,
 *       in this process (its silent client costs next to nothing), {@code ok <window ns>
 *       <process cpu ns> <threads cpu ns> <threads>};</li>
 *   <li>{@code stop}: closes the server and checks that none of its threads
 *       ({@link EchoServer#threadNamePrefixes()}) outlives it.</li>
 * </ul>
 * A process that failed a request is closed by the suite and a fresh one started for the next
 * measurement, so nothing a failure left behind is measured.
 */
final class ServerProcess implements AutoCloseable {

    /** How long a start or stop may take before the process counts as hung. */
    static final Duration CONTROL_TIMEOUT = Duration.ofSeconds(30);
    /** How long a closed server's threads may take to disappear from the thread list. */
    private static final long THREAD_EXIT_MILLIS = 2_000;

    private final String impl;
    private final BenchProcess process;
    private final Optional<String> unavailable;
    private final String configuration;

    private ServerProcess(String impl, BenchProcess process, Optional<String> unavailable, String configuration) {
        this.impl = impl;
        this.process = process;
        this.unavailable = unavailable;
        this.configuration = configuration;
    }

    /**
     * Starts the process of {@code impl}, whose servers {@code factory} (a class with a no-argument
     * constructor) creates.
     */
    static ServerProcess start(String impl, Class<? extends NetSuite.ServerFactory> factory, List<String> jvmFlags,
                               CpuSplit split) throws IOException {
        BenchProcess p = BenchProcess.start(impl, split.serverPrefix(), jvmFlags, ServerProcess.class,
                List.of(factory.getName(), impl));
        String[] g = p.greeting().split(" ", 4);
        if (g.length < 3 || !g[0].equals("server") || !g[1].equals(Long.toString(p.pid()))) {
            p.close();
            throw new IOException(impl + "'s process greeted '" + p.greeting() + "', expected 'server " + p.pid()
                    + " available|unavailable ...'");
        }
        String rest = g.length == 4 ? g[3] : "";
        return g[2].equals("available") ? new ServerProcess(impl, p, Optional.empty(), rest)
                : new ServerProcess(impl, p, Optional.of(rest), "");
    }

    /** The process id, as the process reported it itself. */
    long pid() {
        return process.pid();
    }

    /** Why the impl cannot run here, as its process found; empty when it can. */
    Optional<String> unavailableReason() {
        return unavailable;
    }

    /** How the impl is configured in its process ({@link EchoServer#configuration()}). */
    String configuration() {
        return configuration;
    }

    /** Whether the process still runs. */
    boolean isAlive() {
        return process.isAlive();
    }

    /** Starts a fresh server with {@code workers}; its port. */
    int startServer(int workers) throws IOException {
        String port = process.request("start " + workers, CONTROL_TIMEOUT);
        try {
            return Integer.parseInt(port);
        } catch (NumberFormatException e) {
            throw new IOException(impl + "'s process answered port '" + port + "'");
        }
    }

    /** Runs the idle meter against the started server, within {@code timeout}. */
    IdleMeter.Outcome idle(Duration settle, Duration window, Duration timeout) throws IOException {
        String[] w = process.request("idle " + settle.toNanos() + " " + window.toNanos(), timeout).split(" ");
        if (w.length != 4) {
            throw new IOException(impl + "'s process answered '" + String.join(" ", w) + "' to idle");
        }
        return new IdleMeter.Outcome(Long.parseLong(w[0]), Long.parseLong(w[1]), Long.parseLong(w[2]),
                Integer.parseInt(w[3]));
    }

    /** Closes the started server; fails when it left threads running. */
    void stopServer() throws IOException {
        process.request("stop", CONTROL_TIMEOUT);
    }

    @Override
    public void close() {
        process.close();
    }

    /** The child's side: {@code <factory class> <impl>}. */
    public static void main(String[] args) throws Exception {
        String impl = args[1];
        long pid = ProcessHandle.current().pid();
        NetSuite.ServerFactory factory;
        Optional<String> reason;
        String configuration = "";
        try {
            var constructor = Class.forName(args[0]).asSubclass(NetSuite.ServerFactory.class).getDeclaredConstructor();
            constructor.setAccessible(true);
            factory = constructor.newInstance();
            try (EchoServer probe = factory.create(impl)) {
                reason = probe.unavailableReason();
                configuration = reason.isPresent() ? "" : probe.configuration();
            }
        } catch (Throwable e) {
            factory = null;
            reason = Optional.of("cannot run here: " + dev.weft.bench.FailureLine.of(e));
        }
        if (reason.isPresent()) {
            String why = reason.get().replace('\n', ' ');
            BenchProcess.serve("server " + pid + " unavailable " + why, w -> {
                throw new IllegalStateException(impl + " cannot run here: " + why);
            });
            return;
        }
        Child child = new Child(impl, factory);
        BenchProcess.serve("server " + pid + " available " + configuration.replace('\n', ' '), child::handle);
        child.stop();
    }

    /** The state of the child: the server started, if any. */
    private static final class Child {
        final String impl;
        final NetSuite.ServerFactory factory;
        EchoServer server;
        int port;

        Child(String impl, NetSuite.ServerFactory factory) {
            this.impl = impl;
            this.factory = factory;
        }

        String handle(String[] w) throws Exception {
            return switch (w[0]) {
                case "start" -> {
                    if (server != null) {
                        throw new IllegalStateException("a server of " + impl + " is running already");
                    }
                    EchoServer s = factory.create(impl);
                    server = s;
                    port = s.start(Integer.parseInt(w[1]));
                    yield Integer.toString(port);
                }
                case "idle" -> {
                    if (server == null) {
                        throw new IllegalStateException("no server of " + impl + " is running");
                    }
                    IdleMeter.Outcome o = new IdleMeter(NetCase.CONNECTIONS).run(port, server.cpuThreadNamePrefixes(),
                            Duration.ofNanos(Long.parseLong(w[1])), Duration.ofNanos(Long.parseLong(w[2])));
                    yield o.windowNanos() + " " + o.processCpuNanos() + " " + o.threadsCpuNanos() + " " + o.threads();
                }
                case "stop" -> {
                    stop();
                    yield "";
                }
                default -> throw new IllegalArgumentException("unknown request '" + String.join(" ", w) + "'");
            };
        }

        void stop() throws InterruptedException {
            EchoServer s = server;
            server = null;
            if (s == null) {
                return;
            }
            s.close();
            List<Thread> leaked = leftover(s);
            long deadline = System.nanoTime() + THREAD_EXIT_MILLIS * 1_000_000;
            while (!leaked.isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(10);
                leaked = leftover(s);
            }
            if (!leaked.isEmpty()) {
                throw new IllegalStateException("the server left threads running after close(): "
                        + leaked.stream().map(Thread::getName).sorted().collect(Collectors.joining(", ")));
            }
        }

        private static List<Thread> leftover(EchoServer server) {
            List<String> prefixes = server.threadNamePrefixes();
            List<Thread> left = new ArrayList<>();
            for (Thread t : Thread.getAllStackTraces().keySet()) {
                if (t.isAlive() && prefixes.stream().anyMatch(p -> t.getName().startsWith(p))) {
                    left.add(t);
                }
            }
            return left;
        }
    }
}
