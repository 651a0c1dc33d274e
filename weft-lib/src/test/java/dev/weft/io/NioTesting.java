package dev.weft.io;

import dev.weft.runtime.RuntimeStats;
import dev.weft.runtime.WorkerStats;
import dev.weft.sched.Scheduler;
import dev.weft.sched.SchedulerConfig;
import dev.weft.task.JoinHandle;
import dev.weft.uring.ErrnoException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeoutException;
import java.util.function.IntSupplier;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.fail;

/** Helpers for the NIO driver's tests: a scheduler on NIO drivers, and blocking-style socket loops run in tasks. */
final class NioTesting {

    static final InetSocketAddress ANY_LOOPBACK = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    static final Duration JOIN = Duration.ofSeconds(15);

    private NioTesting() {
    }

    /** A scheduler whose workers poll and sleep in NIO drivers. */
    static Scheduler start(int workers) {
        return Scheduler.start(SchedulerConfig.of(workers, "weft-worker"), i -> new NioDriver());
    }

    /** Closes {@code s} and waits (bounded) for its workers to exit, which closes their selectors. */
    static void stop(Scheduler s) throws InterruptedException {
        s.close();
        if (!s.awaitTermination(Duration.ofSeconds(10))) {
            fail("the runtime did not terminate: " + s.stats(RuntimeStats::new, WorkerStats::new));
        }
    }

    /** Runs {@code body} as a task of a fresh scheduler and returns its value; the scheduler is stopped after. */
    static <T> T inTask(int workers, Callable<T> body) throws Exception {
        Scheduler s = start(workers);
        try {
            return join(s.spawn(body), s, "the test task");
        } finally {
            stop(s);
        }
    }

    static <T> T join(JoinHandle<T> h, Scheduler s, String what) throws InterruptedException {
        try {
            return h.join(JOIN);
        } catch (TimeoutException e) {
            throw new AssertionError(what + " did not end within " + JOIN + " (a lost wake-up?); " + s.stats(RuntimeStats::new, WorkerStats::new), e);
        }
    }

    /** The calling task's driver (looked up at each call: a task may move between workers). */
    static IoDriver io() {
        return IoDriver.current("test");
    }

    static void writeFully(SocketHandle s, ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            int n = io().write(s, b, IoDriver.NO_TIMEOUT);
            if (n < 0) {
                throw new ErrnoException("write", n);
            }
        }
    }

    static void readFully(SocketHandle s, ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            int n = io().read(s, b, IoDriver.NO_TIMEOUT);
            if (n < 0) {
                throw new ErrnoException("read", n);
            }
            if (n == 0) {
                throw new IOException("EOF with " + b.remaining() + " bytes still expected");
            }
        }
    }

    /** Echoes what {@code c} reads until EOF, then closes it. */
    static Void echo(SocketHandle c) throws IOException {
        try {
            ByteBuffer buf = ByteBuffer.allocate(8192);
            for (;;) {
                buf.clear();
                int n = io().read(c, buf, IoDriver.NO_TIMEOUT);
                if (n == 0) {
                    return null;
                }
                if (n < 0) {
                    throw new ErrnoException("echo read", n);
                }
                buf.flip();
                writeFully(c, buf);
            }
        } finally {
            c.close();
        }
    }

    /** Waiters registered with the scheduler's drivers. */
    static int waiters(Scheduler s) {
        int n = 0;
        for (int i = 0; i < s.workerCount(); i++) {
            n += ((NioDriver) s.driver(i)).waiting();
        }
        return n;
    }

    /** Waits (bounded) until {@code condition} holds; fails naming {@code what} otherwise. */
    static void eventually(String what, java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                fail("never happened: " + what);
            }
            Thread.sleep(2);
        }
    }

    /** Open file descriptors of this process. */
    static int openFds() {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return (int) fds.count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The fd count once it stopped changing (two samples 50 ms apart agree): closed channels
     * release their descriptor when the selectors that held them next select.
     */
    static int settledFds() throws InterruptedException {
        int last = openFds();
        for (int i = 0; i < 200; i++) {
            Thread.sleep(50);
            int n = openFds();
            if (n == last) {
                return n;
            }
            last = n;
        }
        return last;
    }

    /**
     * Waits (bounded) until the fd count is back to {@code expected} or below; fails with both
     * counts otherwise. Below is no leak: the JVM runs other tests' code too, whose descriptors
     * (a closed runtime's eventfd, a finished test's sockets) may close while this one runs.
     */
    static void fdsBackTo(int expected, IntSupplier now) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        int n;
        while ((n = now.getAsInt()) > expected) {
            if (System.nanoTime() - deadline > 0) {
                fail("file descriptors leaked: " + expected + " open before, " + n + " after");
            }
            Thread.sleep(5);
        }
    }
}
