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
 */
public final class JdkVirtualThreadEcho implements EchoServer {

    /** The impl name. */
    public static final String IMPL = "jdk-vt";

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
        return Runtime.getRuntime().availableProcessors();
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
