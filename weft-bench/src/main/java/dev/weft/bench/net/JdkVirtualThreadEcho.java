package dev.weft.bench.net;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The plain-JDK peer ({@code jdk-vt}): a {@link ServerSocket} accept loop on one platform thread,
 * and one virtual thread per connection that reads into a buffer and writes what it read back,
 * with blocking {@code java.net} sockets. The JDK parks a virtual thread blocked on a socket and
 * its poller wakes it, so this is the thread-per-connection style on the JDK's own scheduler.
 *
 * <p>Workers: the connection threads run on the JDK's default virtual-thread scheduler, of which a
 * JVM has one, sized once at start-up ({@code -Djdk.virtualThreadScheduler.parallelism}, by
 * default the available processors). {@link #start}'s {@code workers} cannot resize it and is not
 * used; the suite reports the parallelism the JDK ran with.
 *
 * <p>Threads: this server starts one platform thread, its acceptor ({@code
 * weft-bench-echo-jdk-vt-accept}); its connection threads are virtual, and run on the JDK's
 * carrier threads, the workers of the default scheduler's ForkJoinPool ({@code
 * ForkJoinPool-N-worker-M}, N being the pool's number in this JVM: {@link #carrierNamePrefix()}),
 * and wait for their sockets through the JDK's poller threads ({@code MasterPoller}, whose
 * sub-pollers are virtual threads on the same carriers, by default on Linux; {@code Read-Poller}
 * and {@code Write-Poller} with {@code -Djdk.pollerMode=1}). Carriers and pollers outlive the
 * server, so only the acceptor is in {@link #threadNamePrefixes()} (none may outlive it); all of
 * them are in {@link #cpuThreadNamePrefixes()}, as they do this server's work.
 */
public final class JdkVirtualThreadEcho implements EchoServer {

    /** The impl name. */
    public static final String IMPL = "jdk-vt";

    /**
     * The JVM flags of this server's process: the default scheduler's parallelism set to the
     * largest worker count of the suite's cases (2), which a process pinned to one CPU would
     * otherwise size to 1.
     */
    public static final List<String> JVM_FLAGS = List.of("-Djdk.virtualThreadScheduler.parallelism=2");

    /** The platform threads of the JDK's I/O pollers, by mode: see the class comment. */
    static final List<String> POLLER_THREADS = List.of("MasterPoller", "Read-Poller", "Write-Poller");
    /** The name prefix of a ForkJoinPool's workers, when a carrier's own name cannot be read. */
    static final String ANY_POOL_WORKER = "ForkJoinPool-";
    /** What {@link #carrierNamePrefix()} read, once it has. */
    private static volatile String carrierNamePrefix;

    /** More than the suite's 100 connections arriving at once; the kernel caps it at somaxconn. */
    private static final int BACKLOG = 1024;
    /** What one read may take: a 4 KiB message's worth several times over. */
    private static final int BUFFER_BYTES = 16 * 1024;
    /** How long close() waits for the accept and connection threads to end. */
    private static final long CLOSE_TIMEOUT_SECONDS = 10;

    private final Set<Socket> connections = ConcurrentHashMap.newKeySet();
    private final Set<Thread> handlers = ConcurrentHashMap.newKeySet();
    private final AtomicLong accepted = new AtomicLong();
    private ServerSocket listener;
    private Thread acceptor;
    private boolean closed;

    @Override
    public String impl() {
        return IMPL;
    }

    /** The parallelism of the JDK's default scheduler. */
    @Override
    public String configuration() {
        return "the JDK's default virtual-thread scheduler, parallelism " + schedulerParallelism() + " in every case";
    }

    /** The parallelism of the JDK's default virtual-thread scheduler in this JVM. */
    public static int schedulerParallelism() {
        String set = System.getProperty("jdk.virtualThreadScheduler.parallelism");
        if (set != null) {
            try {
                return Integer.parseInt(set.trim());
            } catch (NumberFormatException e) {
                // the JDK rejects it at start-up as well; report what it falls back to
            }
        }
        return java.lang.Runtime.getRuntime().availableProcessors();
    }

    /**
     * The acceptor, the default scheduler's carriers and the JDK's pollers: see the class
     * comment.
     */
    @Override
    public List<String> cpuThreadNamePrefixes() {
        List<String> prefixes = new ArrayList<>(threadNamePrefixes());
        prefixes.add(carrierNamePrefix());
        prefixes.addAll(POLLER_THREADS);
        return List.copyOf(prefixes);
    }

    /**
     * The name prefix of the default virtual-thread scheduler's carrier threads in this JVM, such
     * as {@code ForkJoinPool-1-worker-}: read from the carrier a virtual thread runs on (a
     * virtual thread's {@code toString()} ends with {@code @} and its carrier's name). The pool's
     * number depends on how many ForkJoinPools this JVM made before it. Falls back to {@value
     * #ANY_POOL_WORKER} (every numbered pool's workers) if that name cannot be read.
     */
    public static String carrierNamePrefix() {
        String prefix = carrierNamePrefix;
        if (prefix == null) { // read once: the default scheduler is the same for the JVM's life
            String[] seen = new String[1];
            try {
                Thread.ofVirtual().start(() -> seen[0] = Thread.currentThread().toString()).join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return ANY_POOL_WORKER;
            }
            prefix = carrierPrefixOf(seen[0]);
            carrierNamePrefix = prefix;
        }
        return prefix;
    }

    /**
     * The carrier's name prefix in a virtual thread's {@code toString()} ({@code
     * VirtualThread[#24]/runnable@ForkJoinPool-2-worker-1} gives {@code ForkJoinPool-2-worker-}),
     * or {@value #ANY_POOL_WORKER} if it names no numbered carrier.
     */
    static String carrierPrefixOf(String virtualThread) {
        int at = virtualThread == null ? -1 : virtualThread.lastIndexOf('@');
        if (at < 0) {
            return ANY_POOL_WORKER;
        }
        String carrier = virtualThread.substring(at + 1);
        int end = carrier.length();
        while (end > 0 && Character.isDigit(carrier.charAt(end - 1))) {
            end--;
        }
        if (end == carrier.length() || !carrier.startsWith(ANY_POOL_WORKER)) {
            return ANY_POOL_WORKER;
        }
        return carrier.substring(0, end);
    }

    /** @param workers not used: see the class comment */
    @Override
    public synchronized int start(int workers) throws IOException {
        if (listener != null || closed) {
            throw new IllegalStateException(IMPL + ": start() called twice");
        }
        if (workers < 1) {
            throw new IllegalArgumentException(IMPL + ": workers must be >= 1, was " + workers);
        }
        listener = new ServerSocket(0, BACKLOG, InetAddress.getByAddress(new byte[] {127, 0, 0, 1}));
        acceptor = Thread.ofPlatform().name(THREAD_PREFIX + IMPL + "-accept").daemon().start(this::accept);
        return listener.getLocalPort();
    }

    private void accept() {
        while (true) {
            Socket socket;
            try {
                socket = listener.accept();
            } catch (IOException e) {
                return; // closed by close()
            }
            connections.add(socket);
            Thread handler = Thread.ofVirtual()
                    .name(THREAD_PREFIX + IMPL + "-connection-" + accepted.incrementAndGet())
                    .unstarted(() -> echo(socket));
            handlers.add(handler);
            handler.start();
        }
    }

    private void echo(Socket socket) {
        try (socket) {
            socket.setTcpNoDelay(true);
            InputStream in = socket.getInputStream();
            OutputStream out = socket.getOutputStream();
            byte[] buffer = new byte[BUFFER_BYTES];
            int n;
            while ((n = in.read(buffer)) > 0) {
                out.write(buffer, 0, n);
            }
        } catch (IOException e) {
            // the client reset the connection, or close() closed it: either way it is over
        } finally {
            connections.remove(socket);
            handlers.remove(Thread.currentThread());
        }
    }

    /** Connection threads still running (for tests: none once close() has returned). */
    int liveConnectionThreads() {
        return (int) handlers.stream().filter(Thread::isAlive).count();
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (listener == null) {
            return;
        }
        try {
            listener.close();
        } catch (IOException e) {
            // closing anyway
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(CLOSE_TIMEOUT_SECONDS);
        boolean interrupted = join(acceptor, deadline);
        // The acceptor has ended: every accepted socket is in the set, and no more will be.
        for (Socket socket : connections) {
            try {
                socket.close();
            } catch (IOException e) {
                // closing anyway
            }
        }
        for (Thread handler : List.copyOf(handlers)) {
            interrupted |= join(handler, deadline);
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        List<String> alive = new ArrayList<>();
        if (acceptor.isAlive()) {
            alive.add(acceptor.getName());
        }
        handlers.stream().filter(Thread::isAlive).map(Thread::getName).forEach(alive::add);
        if (!alive.isEmpty()) {
            throw new IllegalStateException(IMPL + ": threads still running " + CLOSE_TIMEOUT_SECONDS
                    + " s after close: " + String.join(", ", alive));
        }
    }

    /** Joins {@code t} until {@code deadline}; whether this thread was interrupted meanwhile. */
    private static boolean join(Thread t, long deadline) {
        boolean interrupted = false;
        long left;
        while (t.isAlive() && (left = deadline - System.nanoTime()) > 0) {
            try {
                t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        return interrupted;
    }
}
