package dev.weft.net;

import dev.weft.runtime.Config;
import dev.weft.runtime.IoMode;
import dev.weft.runtime.Weft;
import dev.weft.task.JoinException;
import dev.weft.task.JoinHandle;
import dev.weft.task.Task;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Shared plumbing of the weft net tests (and of the file tests, {@code dev.weft.fs}): runtimes,
 * running code in a task, an echo server, fd counts.
 */
public final class NetTesting {

    /** How long a test waits for a task it spawned. Generous: the machine is small and shared. */
    public static final Duration JOIN = Duration.ofSeconds(20);
    /** Connect timeout used by the tests (loopback connects are immediate). */
    public static final Duration CONNECT = Duration.ofSeconds(10);
    public static final InetSocketAddress LOOPBACK_ANY_PORT = new InetSocketAddress("127.0.0.1", 0);

    private NetTesting() {
    }

    public static Weft start(IoMode mode) {
        return start(mode, 2);
    }

    public static Weft start(IoMode mode, int workers) {
        String simulated = System.getProperty(dev.weft.io.SimulatedKernelExtension.PROPERTY);
        if (simulated != null && !simulated.isBlank() && dev.weft.io.SimulatedKernel.installed() == null) {
            // JUnit's extension auto-detection finds the extension through META-INF/services on the
            // class path only; with the tests patched into the named module, install it here
            dev.weft.io.SimulatedKernel.install(simulated.strip());
        }
        Weft rt = Weft.start(Config.builder().workers(workers).io(mode).build());
        if (simulated != null && mode == IoMode.URING && !rt.ioInfo().kernel().startsWith(simulated)) {
            rt.close();
            throw new AssertionError("this run simulates Linux " + simulated + " but the runtime probed "
                    + rt.ioInfo().kernel() + ": dev.weft.io.SimulatedKernelExtension was not installed");
        }
        return rt;
    }

    /** For {@code @AfterEach}: shuts the runtime down (cancelling leftover I/O) and waits for its workers. */
    public static void stop(Weft rt) throws InterruptedException {
        if (rt == null) {
            return;
        }
        rt.shutdown(Duration.ofSeconds(2));
        rt.awaitTermination(Duration.ofSeconds(10));
    }

    /** A body for {@link #run}. */
    @FunctionalInterface
    public interface Body {
        void run() throws Exception;
    }

    /** Runs {@code body} in a task of {@code rt} and returns its value; rethrows what the body threw. */
    public static <T> T call(Weft rt, Callable<T> body) throws Exception {
        return join(rt.spawn(body));
    }

    /** Runs {@code body} in a task of {@code rt}; rethrows what the body threw. */
    public static void run(Weft rt, Body body) throws Exception {
        join(rt.spawn(() -> {
            body.run();
            return null;
        }));
    }

    /** Joins with {@link #JOIN}, unwrapping a failed task's exception (so assertion failures show as such). */
    public static <T> T join(JoinHandle<T> h) throws Exception {
        try {
            return h.join(JOIN);
        } catch (java.util.concurrent.TimeoutException e) {
            dumpThreads(e.getMessage());
            throw e;
        } catch (JoinException e) {
            if (e.isFailed() && e.getCause() instanceof Exception x) {
                throw x;
            }
            if (e.isFailed() && e.getCause() instanceof Error x) {
                throw x;
            }
            throw e;
        }
    }

    /**
     * Prints every thread of this JVM, virtual threads included ({@code jcmd Thread.dump_to_file}),
     * to standard error: a test that timed out leaves the stacks that say where it waited.
     */
    public static void dumpThreads(String why) {
        try {
            java.nio.file.Path f = java.nio.file.Files.createTempFile("weft-threads", ".txt");
            java.nio.file.Files.delete(f);
            Process p = new ProcessBuilder(java.nio.file.Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                    Long.toString(ProcessHandle.current().pid()), "Thread.dump_to_file", "-format=text", f.toString())
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (p.waitFor(30, java.util.concurrent.TimeUnit.SECONDS) && java.nio.file.Files.exists(f)) {
                System.err.println("=== threads at a timeout (" + why + ") ===");
                System.err.println(java.nio.file.Files.readString(f));
                java.nio.file.Files.delete(f);
            }
        } catch (java.io.IOException | InterruptedException x) {
            System.err.println("no thread dump: " + x);
        }
    }

    /** {@code n} bytes of a pattern that depends on {@code seed}, so that misplaced bytes show. */
    public static byte[] pattern(int n, int seed) {
        byte[] b = new byte[n];
        int x = seed * 0x9E3779B1 + 1;
        for (int i = 0; i < n; i++) {
            x ^= x << 13;
            x ^= x >>> 17;
            x ^= x << 5;
            b[i] = (byte) x;
        }
        return b;
    }

    /** A plain JDK listener on a loopback port, for a peer on a platform thread; its accept waits at most 15 s. */
    public static ServerSocket jdkListener() throws IOException {
        ServerSocket s = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
        s.setSoTimeout(15_000);
        return s;
    }

    public static InetSocketAddress addressOf(ServerSocket s) {
        return (InetSocketAddress) s.getLocalSocketAddress();
    }

    static ByteBuffer ascii(String s) {
        return ByteBuffer.wrap(s.getBytes(StandardCharsets.US_ASCII));
    }

    /** The remaining bytes of {@code b} (its position is not moved). */
    public static byte[] bytes(ByteBuffer b) {
        byte[] out = new byte[b.remaining()];
        b.duplicate().get(out);
        return out;
    }

    /** An echo server: a task accepting connections until its listener closes, one echo task per connection. */
    static final class EchoServer implements AutoCloseable {
        final JoinHandle<Void> acceptor;
        private final CompletableFuture<TcpListener> listener = new CompletableFuture<>();

        private EchoServer(Weft rt, InetSocketAddress bindTo, int backlog) {
            acceptor = rt.spawn(() -> {
                TcpListener l;
                try {
                    l = TcpListener.bind(bindTo, backlog);
                } catch (IOException | RuntimeException e) {
                    listener.completeExceptionally(e);
                    throw e;
                }
                listener.complete(l);
                try (l) {
                    for (;;) {
                        TcpStream s;
                        try {
                            s = l.accept();
                        } catch (IOException e) {
                            return null; // the listener was closed
                        }
                        Task.spawn(() -> echo(s));
                    }
                }
            });
        }

        static EchoServer start(Weft rt) {
            return new EchoServer(rt, LOOPBACK_ANY_PORT, 256);
        }

        static EchoServer start(Weft rt, InetSocketAddress bindTo, int backlog) {
            return new EchoServer(rt, bindTo, backlog);
        }

        TcpListener listener() throws Exception {
            return listener.get(JOIN.toSeconds(), TimeUnit.SECONDS);
        }

        InetSocketAddress address() throws Exception {
            return listener().localAddress();
        }

        private static Void echo(TcpStream s) throws IOException {
            try (s) {
                ByteBuffer b = ByteBuffer.allocate(8192);
                while (s.read(b) >= 0) {
                    b.flip();
                    s.writeAll(b);
                    b.clear();
                }
            }
            return null;
        }

        @Override
        public void close() throws Exception {
            if (listener.isDone() && !listener.isCompletedExceptionally()) {
                listener.get().close();
            }
        }
    }

    @FunctionalInterface
    public interface Scenario {
        void run(Weft rt) throws Exception;
    }

    /** Starts a runtime, runs the scenario, shuts the runtime down and waits until its workers are gone. */
    public static void inRuntime(IoMode mode, Scenario scenario) throws Exception {
        Weft rt = NetTesting.start(mode);
        try {
            scenario.run(rt);
        } finally {
            rt.shutdown(Duration.ofSeconds(2));
            assertTrue(rt.awaitTermination(Duration.ofSeconds(10)), "the runtime terminated");
        }
    }

    /**
     * Runs {@code scenario} in a runtime twice (the first time so that what the JVM opens once and
     * keeps is in the baseline) and asserts that the second run leaves as many descriptors open
     * as there were before it, listing the ones that differ.
     */
    public static void assertLeaksNothing(IoMode mode, Scenario scenario) throws Exception {
        inRuntime(mode, scenario); // warm-up
        Map<Integer, String> before = stableFds();
        inRuntime(mode, scenario);
        int after = settledFdCount(before.size());
        if (after != before.size()) {
            Map<Integer, String> now = fds();
            StringBuilder diff = new StringBuilder();
            now.forEach((fd, target) -> {
                if (!target.equals(before.get(fd))) {
                    diff.append("  new ").append(fd).append(" -> ").append(target).append('\n');
                }
            });
            before.forEach((fd, target) -> {
                if (!target.equals(now.get(fd))) {
                    diff.append("  gone ").append(fd).append(" -> ").append(target).append('\n');
                }
            });
            assertEquals(before.size(), after, "descriptors before and after the runtime:\n" + diff);
        }
    }

    /** The open descriptors once the count has not changed for 200 ms (at most about 2 s). */
    public static Map<Integer, String> stableFds() throws Exception {
        int last = fdCount();
        for (int i = 0; i < 10; i++) {
            Thread.sleep(200);
            System.gc();
            int n = fdCount();
            if (n == last) {
                break;
            }
            last = n;
        }
        return fds();
    }

    public static Map<Integer, String> fds() throws IOException {
        Map<Integer, String> m = new TreeMap<>();
        try (Stream<Path> s = Files.list(Path.of("/proc/self/fd"))) {
            for (Path p : s.toList()) {
                String target;
                try {
                    target = Files.readSymbolicLink(p).toString();
                } catch (IOException e) {
                    continue; // the directory listing's own descriptor, closed meanwhile
                }
                m.put(Integer.parseInt(p.getFileName().toString()), target);
            }
        }
        return m;
    }

    /** Open file descriptors of this JVM. */
    public static int fdCount() throws IOException {
        try (Stream<Path> s = Files.list(Path.of("/proc/self/fd"))) {
            return (int) s.count();
        }
    }

    /**
     * The fd count once it is back to {@code expected}, or the last count after about 2 s
     * (descriptors are released on worker threads, and NIO releases a channel's descriptor only
     * when its selectors drop the cancelled key).
     */
    public static int settledFdCount(int expected) throws Exception {
        int n = fdCount();
        for (int i = 0; i < 40 && n != expected; i++) {
            Thread.sleep(50);
            System.gc(); // NIO and the JDK release some descriptors through cleaners
            n = fdCount();
        }
        return n;
    }

    /** The descriptors open now, for a failure message. */
    public static String fdListing() {
        StringBuilder sb = new StringBuilder();
        try (Stream<Path> s = Files.list(Path.of("/proc/self/fd"))) {
            s.sorted().forEach(p -> {
                String target;
                try {
                    target = Files.readSymbolicLink(p).toString();
                } catch (IOException e) {
                    target = "?";
                }
                sb.append(p.getFileName()).append(" -> ").append(target).append('\n');
            });
        } catch (IOException e) {
            sb.append("(cannot list: ").append(e).append(")");
        }
        return sb.toString();
    }
}
