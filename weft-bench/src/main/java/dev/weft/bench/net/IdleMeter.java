package dev.weft.bench.net;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The idle case's client and meter: what a server costs while its connections are open and
 * silent.
 *
 * <h2>Protocol</h2>
 * <ol>
 *   <li>Opens {@code connections} connections to {@code 127.0.0.1:port} (all within the connect
 *       timeout) and sends nothing on them.</li>
 *   <li>Sleeps for {@code settle}, so that the server has accepted them and parked.</li>
 *   <li>Over {@code window}, while this thread sleeps, measures the CPU time used by the whole
 *       JVM ({@link com.sun.management.OperatingSystemMXBean#getProcessCpuTime()}: the server,
 *       this client, and the JVM's own threads such as the JIT compilers and the garbage
 *       collector) and by the server's own threads ({@link ThreadMXBean#getThreadCpuTime}, summed
 *       over the live platform threads whose names start with one of the given prefixes; a thread
 *       that starts during the window counts from its start, one that ends during it is not
 *       counted).</li>
 *   <li>Checks that every connection is still open and that the server sent nothing on any, then
 *       closes them.</li>
 * </ol>
 * Both figures are CPU time over wall time, as a percentage of one core: 100 is one core busy
 * for the whole window. The process figure comes in whole clock ticks ({@link #PROCESS_TICK}
 * on Linux: over a 1.5 s window one tick is 0.67% of a core); the threads' figure in
 * nanoseconds.
 */
public final class IdleMeter {

    /**
     * What one run measured.
     *
     * @param windowNanos     the length of the window, wall time
     * @param processCpuNanos CPU time the whole JVM used in the window
     * @param threadsCpuNanos CPU time the server's threads used in the window
     * @param threads         how many live threads matched the prefixes at the end of the window
     */
    public record Outcome(long windowNanos, long processCpuNanos, long threadsCpuNanos, int threads) {

        /** The JVM's CPU time as a percentage of one core. */
        public double processPercent() {
            return percent(processCpuNanos);
        }

        /** The server's threads' CPU time as a percentage of one core. */
        public double threadsPercent() {
            return percent(threadsCpuNanos);
        }

        private double percent(long cpuNanos) {
            return windowNanos <= 0 ? 0 : cpuNanos * 100.0 / windowNanos;
        }
    }

    /**
     * The resolution of {@link com.sun.management.OperatingSystemMXBean#getProcessCpuTime()} on
     * Linux: the JDK reads it with {@code times(2)}, in clock ticks of 1/100 s.
     */
    public static final Duration PROCESS_TICK = Duration.ofMillis(10);

    private final int connections;
    private final Duration connectTimeout;

    /** A meter opening {@code connections} connections, with the load generator's connect timeout. */
    public IdleMeter(int connections) {
        this(connections, LoadGenerator.CONNECT_TIMEOUT);
    }

    /**
     * @param connections    connections opened to the server, {@code >= 1}
     * @param connectTimeout the time all of them have to connect, positive
     */
    public IdleMeter(int connections, Duration connectTimeout) {
        if (connections < 1) {
            throw new IllegalArgumentException("connections must be >= 1, was " + connections);
        }
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        if (!connectTimeout.isPositive()) {
            throw new IllegalArgumentException("connectTimeout must be positive, was " + connectTimeout);
        }
        this.connections = connections;
        this.connectTimeout = connectTimeout;
    }

    /**
     * Runs the protocol against the server on {@code 127.0.0.1:port} on the calling thread.
     *
     * @param threadPrefixes the name prefixes of the server's threads
     * @param settle         the time between the last connect and the window, {@code >= 0}
     * @param window         the measured window, positive
     * @throws SocketTimeoutException        when the connections do not all connect in time
     * @throws InterruptedIOException        when the calling thread is interrupted
     * @throws IOException                   when a connection fails, the server closes one, or
     *                                       it sends bytes on one
     * @throws UnsupportedOperationException when this JVM cannot measure process or thread CPU
     *                                       time
     */
    public Outcome run(int port, List<String> threadPrefixes, Duration settle, Duration window) throws IOException {
        Objects.requireNonNull(threadPrefixes, "threadPrefixes");
        if (settle.isNegative()) {
            throw new IllegalArgumentException("settle must be >= 0, was " + settle);
        }
        if (!window.isPositive()) {
            throw new IllegalArgumentException("window must be positive, was " + window);
        }
        com.sun.management.OperatingSystemMXBean os = processBean();
        ThreadMXBean threads = threadBean();
        InetSocketAddress server = new InetSocketAddress("127.0.0.1", port);
        List<SocketChannel> open = new ArrayList<>();
        try {
            connect(server, open);
            // A first sample before the window, so that loading the classes behind these calls is not counted.
            os.getProcessCpuTime();
            threadCpu(threads, threadPrefixes);
            sleep(settle, server);
            // Listing the threads is outside the process's window at both ends.
            Map<Long, Long> threadsStart = threadCpu(threads, threadPrefixes);
            long processStart = os.getProcessCpuTime();
            long start = System.nanoTime();
            sleep(window, server);
            long end = System.nanoTime();
            long processEnd = os.getProcessCpuTime();
            Map<Long, Long> threadsEnd = threadCpu(threads, threadPrefixes);
            if (processStart < 0 || processEnd < 0) {
                throw new UnsupportedOperationException("this JVM does not report its process CPU time");
            }
            long threadsCpu = 0;
            for (Map.Entry<Long, Long> e : threadsEnd.entrySet()) {
                threadsCpu += e.getValue() - threadsStart.getOrDefault(e.getKey(), 0L);
            }
            checkOpenAndSilent(open, server);
            return new Outcome(end - start, processEnd - processStart, threadsCpu, threadsEnd.size());
        } finally {
            for (SocketChannel c : open) {
                try {
                    c.close();
                } catch (IOException e) {
                    // closing anyway
                }
            }
        }
    }

    private void connect(InetSocketAddress server, List<SocketChannel> open) throws IOException {
        long deadline = System.nanoTime() + connectTimeout.toNanos();
        for (int id = 0; id < connections; id++) {
            long leftMillis = (deadline - System.nanoTime()) / 1_000_000;
            if (leftMillis <= 0) {
                throw new SocketTimeoutException("connected only " + id + " of " + connections
                        + " connections to " + server + " within " + connectTimeout.toMillis() + " ms");
            }
            if (Thread.currentThread().isInterrupted()) {
                throw new InterruptedIOException("idle meter on " + server + " interrupted");
            }
            SocketChannel channel = SocketChannel.open();
            open.add(channel);
            try {
                channel.socket().connect(server, (int) Math.min(Integer.MAX_VALUE, leftMillis));
                channel.configureBlocking(false);
            } catch (SocketTimeoutException e) {
                throw e;
            } catch (IOException e) {
                ConnectException failure = new ConnectException("connection " + id + " of " + connections
                        + " to " + server + " failed: " + e.getMessage());
                failure.initCause(e);
                throw failure;
            }
        }
    }

    /** Every connection must be open with nothing to read: the server echoes only what it got. */
    private static void checkOpenAndSilent(List<SocketChannel> open, InetSocketAddress server) throws IOException {
        ByteBuffer probe = ByteBuffer.allocate(64);
        for (int id = 0; id < open.size(); id++) {
            probe.clear();
            int n;
            try {
                n = open.get(id).read(probe);
            } catch (IOException e) {
                IOException failure = new IOException("connection " + id + " to " + server
                        + " failed while idle: " + e.getMessage());
                failure.initCause(e);
                throw failure;
            }
            if (n < 0) {
                throw new IOException("the server closed connection " + id + " to " + server + " while it was idle");
            }
            if (n > 0) {
                throw new IOException("the server sent " + n + " bytes on idle connection " + id + " to "
                        + server + ", where nothing was sent to it");
            }
        }
    }

    private static void sleep(Duration d, InetSocketAddress server) throws InterruptedIOException {
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("idle meter on " + server + " interrupted");
        }
    }

    /** CPU time so far of each live thread whose name starts with one of {@code prefixes}, by id. */
    static Map<Long, Long> threadCpu(ThreadMXBean threads, List<String> prefixes) {
        Map<Long, Long> cpu = new HashMap<>();
        for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds(), 0)) {
            if (info == null || prefixes.stream().noneMatch(info.getThreadName()::startsWith)) {
                continue; // ended since it was listed, or not the server's
            }
            long nanos = threads.getThreadCpuTime(info.getThreadId());
            if (nanos >= 0) {
                cpu.put(info.getThreadId(), nanos);
            }
        }
        return cpu;
    }

    private static com.sun.management.OperatingSystemMXBean processBean() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os;
        }
        throw new UnsupportedOperationException("this JVM has no com.sun.management.OperatingSystemMXBean:"
                + " it cannot report its process CPU time");
    }

    private static ThreadMXBean threadBean() {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        if (!threads.isThreadCpuTimeSupported()) {
            throw new UnsupportedOperationException("this JVM cannot measure the CPU time of a thread");
        }
        if (!threads.isThreadCpuTimeEnabled()) {
            threads.setThreadCpuTimeEnabled(true);
        }
        return threads;
    }
}
