package dev.weft.io;

import dev.weft.sched.Scheduler;
import dev.weft.sched.SchedulerConfig;
import dev.weft.task.JoinException;
import dev.weft.task.JoinHandle;
import dev.weft.uring.Errno;
import dev.weft.uring.ErrnoException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.reflect.Field;
import java.net.BindException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.Socket;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static dev.weft.io.NioTesting.ANY_LOOPBACK;
import static dev.weft.io.NioTesting.eventually;
import static dev.weft.io.NioTesting.inTask;
import static dev.weft.io.NioTesting.io;
import static dev.weft.io.NioTesting.join;
import static dev.weft.io.NioTesting.readFully;
import static dev.weft.io.NioTesting.waiters;
import static dev.weft.io.NioTesting.writeFully;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The NIO driver on loopback: round trips through each buffer kind, EOF, timeouts, refused and
 * reset connections, cancellation and close of a waiting task, shutdown's cancelAll. Each test
 * runs its code in tasks of a fresh two-worker runtime and joins with a bound.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class NioDriverTest {

    /** A connected pair made by one task: {@code [accepted, connected]}. */
    private static SocketHandle[] pair() throws IOException {
        SocketHandle l = io().listen(ANY_LOOPBACK, 4, SocketConfig.DEFAULTS);
        try {
            SocketHandle c = io().connect(l.localAddress(), IoDriver.NO_TIMEOUT, SocketConfig.DEFAULTS);
            SocketHandle a = io().accept(l, IoDriver.NO_TIMEOUT, SocketConfig.DEFAULTS);
            return new SocketHandle[] {a, c};
        } finally {
            l.close();
        }
    }

    private static void closeAll(SocketHandle... sockets) {
        for (SocketHandle s : sockets) {
            s.close();
        }
    }

    @Test
    void echoRoundTripsThroughHeapDirectAndSegmentBuffersAndAGatheringWrite() throws Exception {
        String result = inTask(2, () -> {
            SocketHandle l = io().listen(ANY_LOOPBACK, 4, SocketConfig.DEFAULTS);
            InetSocketAddress address = l.localAddress();
            Scheduler s = Scheduler.current("test");
            JoinHandle<Void> server = s.spawn(() -> NioTesting.echo(io().accept(l, IoDriver.NO_TIMEOUT, SocketConfig.DEFAULTS)));
            SocketHandle c = io().connect(address, IoDriver.NO_TIMEOUT, SocketConfig.DEFAULTS);
            assertEquals(address, c.remoteAddress());
            assertEquals(c.localAddress().getAddress(), address.getAddress());

            byte[] msg = "hello, weft".getBytes(StandardCharsets.US_ASCII);
            // heap
            writeFully(c, ByteBuffer.wrap(msg));
            ByteBuffer heap = ByteBuffer.allocate(msg.length);
            readFully(c, heap);
            assertArrayEquals(msg, heap.array());
            assertEquals(msg.length, heap.position(), "a read advances the buffer's position");
            // direct
            ByteBuffer direct = ByteBuffer.allocateDirect(msg.length);
            direct.put(msg).flip();
            writeFully(c, direct);
            direct.clear();
            readFully(c, direct);
            byte[] back = new byte[msg.length];
            direct.flip().get(back);
            assertArrayEquals(msg, back);
            // memory segments
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment out = arena.allocate(msg.length);
                MemorySegment.copy(msg, 0, out, java.lang.foreign.ValueLayout.JAVA_BYTE, 0, msg.length);
                assertEquals(msg.length, io().write(c, out, IoDriver.NO_TIMEOUT));
                MemorySegment in = arena.allocate(msg.length);
                int got = 0;
                while (got < msg.length) {
                    int n = io().read(c, in.asSlice(got), IoDriver.NO_TIMEOUT);
                    assertTrue(n > 0, "read returned " + n);
                    got += n;
                }
                assertArrayEquals(msg, in.toArray(java.lang.foreign.ValueLayout.JAVA_BYTE));
            }
            // gathering write
            ByteBuffer[] parts = {ByteBuffer.wrap("ab".getBytes(StandardCharsets.US_ASCII)),
                    ByteBuffer.allocate(0), ByteBuffer.wrap("cde".getBytes(StandardCharsets.US_ASCII))};
            long written = 0;
            while (written < 5) {
                long n = io().write(c, parts, IoDriver.NO_TIMEOUT);
                assertTrue(n > 0, "gathering write returned " + n);
                written += n;
            }
            ByteBuffer five = ByteBuffer.allocate(5);
            readFully(c, five);
            // EOF: the echo server closes after reading ours
            c.shutdownOutput();
            assertEquals(0, io().read(c, ByteBuffer.allocate(8), IoDriver.NO_TIMEOUT), "EOF reads 0");
            join(server, s, "the echo server");
            c.close();
            l.close();
            assertTrue(c.isClosed());
            return new String(five.array(), StandardCharsets.US_ASCII);
        });
        assertEquals("abcde", result);
    }

    @Test
    void aFullDuplexTransferThroughSmallBuffersWaitsForWritesAndReadsAtOnce() throws Exception {
        int size = 1 << 20;
        SocketConfig small = new SocketConfig(true, true, false, 8192, 8192);
        inTask(2, () -> {
            Scheduler s = Scheduler.current("test");
            SocketHandle l = io().listen(ANY_LOOPBACK, 4, small);
            JoinHandle<Void> server = s.spawn(() -> NioTesting.echo(io().accept(l, IoDriver.NO_TIMEOUT, small)));
            SocketHandle c = io().connect(l.localAddress(), IoDriver.NO_TIMEOUT, small);
            byte[] data = new byte[size];
            new java.util.Random(7).nextBytes(data);
            // One task writes while this one reads: a reader and a writer wait on one socket.
            JoinHandle<Void> writer = s.spawn(() -> {
                writeFully(c, ByteBuffer.wrap(data));
                c.shutdownOutput();
                return null;
            });
            ByteBuffer in = ByteBuffer.allocate(size);
            readFully(c, in);
            assertEquals(0, io().read(c, ByteBuffer.allocate(1), IoDriver.NO_TIMEOUT));
            join(writer, s, "the writer");
            join(server, s, "the echo server");
            assertArrayEquals(data, in.array());
            closeAll(c, l);
            return null;
        });
    }

    @Test
    void aReadTimesOutWithETIMEDOUTAndAnAcceptWithErrnoException() throws Exception {
        inTask(2, () -> {
            SocketHandle[] p = pair();
            ByteBuffer b = ByteBuffer.allocate(8);
            assertEquals(-Errno.ETIMEDOUT, io().read(p[1], b, 20_000_000L));
            assertEquals(-Errno.ETIMEDOUT, io().read(p[1], b, 0L), "a zero timeout does not wait");
            // the socket still works after a timed-out wait
            writeFully(p[0], ByteBuffer.wrap(new byte[] {42}));
            assertEquals(1, io().read(p[1], b, 5_000_000_000L));
            assertEquals(42, b.get(0));

            SocketHandle l = io().listen(ANY_LOOPBACK, 4, SocketConfig.DEFAULTS);
            ErrnoException e = assertThrows(ErrnoException.class,
                    () -> io().accept(l, 20_000_000L, SocketConfig.DEFAULTS));
            assertEquals(Errno.ETIMEDOUT, e.errno());
            closeAll(l, p[0], p[1]);
            return null;
        });
    }

    @Test
    void readingAfterThePeerClosesReturnsZero() throws Exception {
        inTask(2, () -> {
            SocketHandle[] p = pair();
            Scheduler s = Scheduler.current("test");
            JoinHandle<Integer> reader = s.spawn(() -> io().read(p[1], ByteBuffer.allocate(8), IoDriver.NO_TIMEOUT));
            p[0].close(); // while the reader waits, or before it reads: EOF either way
            assertEquals(0, join(reader, s, "the reader"));
            p[1].close();
            return null;
        });
    }

    @Test
    void connectingToAClosedPortIsRefused() throws Exception {
        int port;
        try (ServerSocketChannel ch = ServerSocketChannel.open()) {
            ch.bind(ANY_LOOPBACK);
            port = ((InetSocketAddress) ch.getLocalAddress()).getPort();
        }
        InetSocketAddress closed = new InetSocketAddress(ANY_LOOPBACK.getAddress(), port);
        ErrnoException e = inTask(2, () -> assertThrows(ErrnoException.class,
                () -> io().connect(closed, IoDriver.NO_TIMEOUT, SocketConfig.DEFAULTS)));
        assertEquals(Errno.ECONNREFUSED, e.errno(), e.getMessage());
    }

    @Test
    void listeningTwiceOnOnePortIsEADDRINUSE() throws Exception {
        inTask(2, () -> {
            SocketConfig noReuse = new SocketConfig(true, false, false, 0, 0);
            SocketHandle l = io().listen(ANY_LOOPBACK, 4, noReuse);
            ErrnoException e = assertThrows(ErrnoException.class, () -> io().listen(l.localAddress(), 4, noReuse));
            assertEquals(Errno.EADDRINUSE, e.errno(), e.getMessage());
            l.close();
            return null;
        });
    }

    @Test
    void writingToAResetConnectionFailsWithEPIPEOrECONNRESET() throws Exception {
        Scheduler s = NioTesting.start(2);
        try {
            CountDownLatch accepted = new CountDownLatch(1);
            CountDownLatch reset = new CountDownLatch(1);
            AtomicReference<InetSocketAddress> address = new AtomicReference<>();
            SocketHandle l = join(s.spawn(() -> io().listen(ANY_LOOPBACK, 4, SocketConfig.DEFAULTS)), s, "listen");
            address.set(l.localAddress());
            JoinHandle<Integer> server = s.spawn(() -> {
                SocketHandle c = io().accept(l, IoDriver.NO_TIMEOUT, SocketConfig.DEFAULTS);
                try {
                    accepted.countDown();
                    reset.await();
                    ByteBuffer chunk = ByteBuffer.allocate(64 * 1024);
                    for (int i = 0; i < 10_000; i++) {
                        chunk.clear();
                        int n = io().write(c, chunk, 5_000_000_000L);
                        if (n < 0) {
                            return n;
                        }
                    }
                    return 0;
                } finally {
                    c.close();
                }
            });
            try (Socket peer = new Socket(address.get().getAddress(), address.get().getPort())) {
                assertTrue(accepted.await(10, TimeUnit.SECONDS), "accept never returned");
                peer.setSoLinger(true, 0); // close sends RST
            }
            reset.countDown();
            int r = join(server, s, "the writer");
            assertTrue(r == -Errno.EPIPE || r == -Errno.ECONNRESET, "write after reset returned " + Errno.name(r));
            l.close();
        } finally {
            NioTesting.stop(s);
        }
    }

    @Test
    void cancellingATaskBlockedInReadEndsItCancelledWithInterruptedIOException() throws Exception {
        int before = NioTesting.openFds();
        Scheduler s = NioTesting.start(2);
        int withRuntime = NioTesting.openFds();
        try {
            SocketHandle[] p = join(s.spawn(NioDriverTest::pair), s, "pair");
            AtomicReference<Throwable> seen = new AtomicReference<>();
            AtomicReference<Boolean> interruptSet = new AtomicReference<>();
            JoinHandle<Integer> reader = s.spawn(() -> {
                try {
                    return io().read(p[1], ByteBuffer.allocate(8), IoDriver.NO_TIMEOUT);
                } catch (InterruptedIOException e) {
                    seen.set(e);
                    interruptSet.set(Thread.currentThread().isInterrupted());
                    throw e;
                }
            });
            eventually("the reader waits on a selector", () -> waiters(s) == 1);
            assertTrue(reader.cancel());
            JoinException e = assertThrows(JoinException.class, () -> join(reader, s, "the cancelled reader"));
            assertTrue(e.isCancelled(), e.toString());
            assertInstanceOf(InterruptedIOException.class, seen.get());
            assertEquals(Boolean.TRUE, interruptSet.get(), "the interrupt status stays set");
            assertEquals(0, waiters(s), "the wait was cleaned up");
            closeAll(p);
            NioTesting.fdsBackTo(withRuntime, NioTesting::openFds);
        } finally {
            NioTesting.stop(s);
        }
        NioTesting.fdsBackTo(before, NioTesting::openFds);
    }

    @Test
    void closingASocketEndsTheWaitOfATaskReadingItAndClosingAListenerEndsAnAccept() throws Exception {
        Scheduler s = NioTesting.start(2);
        try {
            SocketHandle[] p = join(s.spawn(NioDriverTest::pair), s, "pair");
            SocketHandle l = join(s.spawn(() -> io().listen(ANY_LOOPBACK, 4, SocketConfig.DEFAULTS)), s, "listen");
            JoinHandle<Integer> reader = s.spawn(() -> io().read(p[1], ByteBuffer.allocate(8), IoDriver.NO_TIMEOUT));
            JoinHandle<Integer> acceptor = s.spawn(() -> {
                try {
                    io().accept(l, IoDriver.NO_TIMEOUT, SocketConfig.DEFAULTS).close();
                    return 0;
                } catch (ErrnoException e) {
                    return -e.errno();
                }
            });
            eventually("both tasks wait on a selector", () -> waiters(s) == 2);
            join(s.spawn(() -> {
                p[1].close(); // from another task, possibly on another worker
                l.close();
                return null;
            }), s, "the closer");
            assertEquals(-Errno.EBADF, join(reader, s, "the reader"));
            assertEquals(-Errno.EBADF, join(acceptor, s, "the acceptor"));
            assertEquals(0, waiters(s));
            assertEquals(-Errno.EBADF, join(s.spawn(() -> io().read(p[1], ByteBuffer.allocate(8), IoDriver.NO_TIMEOUT)),
                    s, "a read after close"));
            p[0].close();
            p[0].close(); // closing twice does nothing
        } finally {
            NioTesting.stop(s);
        }
    }

    @Test
    void aListenerClosedFromOutsideWhileTheWorkersSleepReleasesItsDescriptor() throws Exception {
        Scheduler s = NioTesting.start(2);
        try {
            int before = NioTesting.settledFds();
            // A timed-out accept leaves the listener with a key in a worker's selector and no waiter.
            SocketHandle l = join(s.spawn(() -> {
                SocketHandle listener = io().listen(ANY_LOOPBACK, 4, SocketConfig.DEFAULTS);
                ErrnoException e = assertThrows(ErrnoException.class,
                        () -> io().accept(listener, 1_000_000L, SocketConfig.DEFAULTS));
                assertEquals(Errno.ETIMEDOUT, e.errno());
                return listener;
            }), s, "listen");
            Thread.sleep(100); // let the workers reach select (correctness does not depend on it; the test's point does)
            l.close(); // from a thread outside the runtime: no task runs to make a worker select
            NioTesting.fdsBackTo(before, NioTesting::openFds);
        } finally {
            NioTesting.stop(s);
        }
    }

    @Test
    void cancelAllEndsEveryWaitWithInterruptedIOException() throws Exception {
        Scheduler s = NioTesting.start(2);
        try {
            SocketHandle[] p = join(s.spawn(NioDriverTest::pair), s, "pair");
            JoinHandle<Integer> reader = s.spawn(() -> io().read(p[1], ByteBuffer.allocate(8), IoDriver.NO_TIMEOUT));
            eventually("the reader waits on a selector", () -> waiters(s) == 1);
            for (int i = 0; i < s.workerCount(); i++) {
                ((IoDriver) s.driver(i)).cancelAll();
            }
            JoinException e = assertThrows(JoinException.class, () -> join(reader, s, "the reader"));
            assertInstanceOf(InterruptedIOException.class, e.getCause());
            assertTrue(e.getCause().getMessage().contains("shut down"), e.getCause().getMessage());
            assertEquals(0, waiters(s));
            closeAll(p);
        } finally {
            NioTesting.stop(s);
        }
    }

    /**
     * A task closing a socket waits for the socket's lock, and the worker's own thread, settling
     * waiters for cancelAll, waits for it too. Unpinned, the task left its carrier while it
     * waited (JEP 491); if the JDK then handed the lock to it, the lock went to a task that only
     * this worker could run, and the worker waited for the lock for ever. Pinned, the task holds
     * its worker while it waits, like a platform thread, and takes the lock on it.
     */
    @Test
    void aTaskAndItsWorkerWaitingForOneSocketLockBothGetIt() throws Exception {
        Scheduler s = Scheduler.start(SchedulerConfig.of(1, "nio-lock-test"),
                i -> new NioDriver());
        try {
            SocketHandle[] p = join(s.spawn(NioDriverTest::pair), s, "pair");
            JoinHandle<Integer> reader = s.spawn(() -> io().read(p[1], ByteBuffer.allocate(8), IoDriver.NO_TIMEOUT));
            eventually("the reader waits on the selector", () -> waiters(s) == 1);
            Thread worker = Thread.getAllStackTraces().keySet().stream()
                    .filter(t -> t.getName().equals("nio-lock-test-0")).findFirst().orElseThrow();
            Field lockField = NioSocket.class.getDeclaredField("lock");
            lockField.setAccessible(true);
            Object socketLock = lockField.get(p[1]);
            AtomicReference<Thread> closerThread = new AtomicReference<>();
            JoinHandle<Void> closer;
            synchronized (socketLock) {
                closer = s.spawn(() -> {
                    closerThread.set(Thread.currentThread());
                    p[1].close();
                    return null;
                });
                eventually("the closing task waits for the socket's lock", () -> closerThread.get() != null
                        && closerThread.get().getState() == Thread.State.BLOCKED);
                ((IoDriver) s.driver(0)).cancelAll(); // the worker settles waiters under the socket's lock
                eventually("the worker's thread waits for the socket's lock", () -> worker.getState() == Thread.State.BLOCKED);
            }
            join(closer, s, "the closing task");
            try {
                assertEquals(-Errno.EBADF, join(reader, s, "the reader")); // its socket closed first
            } catch (JoinException e) {
                assertInstanceOf(InterruptedIOException.class, e.getCause()); // its wait was cancelled first
            }
            p[0].close();
        } finally {
            NioTesting.stop(s);
        }
    }

    @Test
    void socketsOfAnotherBackendAndRegionsAreRefused() throws Exception {
        inTask(1, () -> {
            SocketHandle foreign = new SocketHandle() {
                public InetSocketAddress localAddress() {
                    return null;
                }

                public InetSocketAddress remoteAddress() {
                    return null;
                }

                public void shutdownOutput() {
                }

                public void setNoDelay(boolean on) {
                }

                public void close() {
                }

                public boolean isClosed() {
                    return false;
                }
            };
            assertThrows(IllegalArgumentException.class, () -> io().read(foreign, ByteBuffer.allocate(1), -1));
            assertThrows(UnsupportedOperationException.class, () -> io().writeRegion(foreign, 0, 1, 0, 1, -1));
            return null;
        });
        NioDriver outside = new NioDriver();
        try (java.nio.channels.SocketChannel ch = java.nio.channels.SocketChannel.open()) {
            assertThrows(IllegalStateException.class, () -> outside.read(new NioSocket(ch), ByteBuffer.allocate(1), -1),
                    "a read outside a task");
        } finally {
            outside.close();
        }
    }

    @Test
    void jdkExceptionsMapToErrnos() {
        assertEquals(Errno.ECONNREFUSED, NioErrno.errno(new ConnectException("Connection refused")));
        assertEquals(Errno.ETIMEDOUT, NioErrno.errno(new ConnectException("Connection timed out")));
        assertEquals(Errno.EHOSTUNREACH, NioErrno.errno(new ConnectException("No route to host")));
        assertEquals(Errno.EHOSTUNREACH, NioErrno.errno(new NoRouteToHostException("No route to host")));
        assertEquals(Errno.ECONNRESET, NioErrno.errno(new SocketException("Connection reset")));
        assertEquals(Errno.ECONNRESET, NioErrno.errno(new IOException("Connection reset by peer")));
        assertEquals(Errno.EPIPE, NioErrno.errno(new IOException("Broken pipe")));
        assertEquals(Errno.EBADF, NioErrno.errno(new ClosedChannelException()));
        assertEquals(Errno.EBADF, NioErrno.errno(new AsynchronousCloseException()));
        assertEquals(Errno.EADDRINUSE, NioErrno.errno(new BindException("Address already in use")));
        assertEquals(Errno.EADDRNOTAVAIL, NioErrno.errno(new BindException("Cannot assign requested address")));
        assertEquals(Errno.ENOBUFS, NioErrno.errno(new ErrnoException("x", Errno.ENOBUFS)));
        assertEquals(Errno.EIO, NioErrno.errno(new IOException("something else")));
        assertEquals(Errno.EIO, NioErrno.errno(new IOException()));
        ErrnoException e = NioErrno.errnoException("connect to x", new ConnectException("Connection refused"));
        assertEquals(Errno.ECONNREFUSED, e.errno());
        assertTrue(e.getMessage().contains("ECONNREFUSED") && e.getMessage().contains("connect to x"), e.getMessage());
        assertInstanceOf(ConnectException.class, e.getCause());
    }
}
