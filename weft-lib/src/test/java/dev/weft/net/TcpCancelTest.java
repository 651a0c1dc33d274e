package dev.weft.net;

import dev.weft.runtime.IoMode;
import dev.weft.runtime.Weft;
import dev.weft.task.JoinException;
import dev.weft.task.JoinHandle;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.InterruptedIOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

import static dev.weft.net.NetTesting.CONNECT;
import static dev.weft.net.NetTesting.EchoServer;
import static dev.weft.net.NetTesting.JOIN;
import static dev.weft.net.NetTesting.LOOPBACK_ANY_PORT;
import static dev.weft.net.NetTesting.call;
import static dev.weft.net.NetTesting.join;
import static dev.weft.net.NetTesting.pattern;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Cancelling a task that waits for I/O ends it; closing what a task waits on ends the wait. */
class TcpCancelTest {

    private Weft rt;

    @AfterEach
    void stop() throws InterruptedException {
        NetTesting.stop(rt);
    }

    /** Waits for a cancelled task and checks that join says cancelled. */
    private static void assertCancelled(JoinHandle<?> h) throws Exception {
        JoinException e = assertThrows(JoinException.class, () -> h.join(JOIN));
        assertTrue(e.isCancelled(), "cancelled, not failed: " + e + " cause " + e.getCause());
        assertTrue(e.getMessage().contains("cancelled"), e.getMessage());
        assertTrue(h.isDone());
    }

    /** One echo round trip on a fresh connection: the runtime still serves. */
    private static void assertServes(Weft rt, InetSocketAddress echo) throws Exception {
        byte[] msg = pattern(1500, 42);
        byte[] back = call(rt, () -> {
            try (TcpStream c = TcpStream.connect(echo, CONNECT)) {
                c.writeAll(ByteBuffer.wrap(msg));
                ByteBuffer in = ByteBuffer.allocate(msg.length);
                c.readFully(in);
                return in.array();
            }
        });
        assertArrayEquals(msg, back);
    }

    /** What the cancelled task is blocked in. */
    enum Blocked { READ, WRITE, ACCEPT }

    static Stream<Arguments> cases() {
        return Stream.of(IoMode.URING, IoMode.NIO).flatMap(TcpCancelTest::casesFor);
    }

    private static Stream<Arguments> casesFor(IoMode mode) {
        return Stream.of(Blocked.values()).flatMap(b -> Stream.of(1, 2).map(w -> Arguments.of(mode, b, w)));
    }

    /**
     * Cancelling a task blocked in read, write or accept ends it (join says cancelled, the call
     * threw InterruptedIOException) and the runtime goes on serving. One worker makes the task
     * resume on the worker whose driver holds its operation; two let it resume on either.
     */
    @ParameterizedTest(name = "{0} {1} {2} worker(s)")
    @MethodSource("cases")
    @Timeout(30)
    void cancellingABlockedTaskEndsIt(IoMode mode, Blocked blocked, int workers) throws Exception {
        cancelBlocked(mode, blocked, workers);
    }

    private void cancelBlocked(IoMode mode, Blocked blocked, int workers) throws Exception {
        rt = NetTesting.start(mode, workers);
        try (EchoServer echo = EchoServer.start(rt)) {
            InetSocketAddress echoAddr = echo.address();
            // A listener whose accepted connections stay silent and read nothing, with small buffers.
            TcpListener l = call(rt, () -> TcpListener.bind(LOOPBACK_ANY_PORT, 8,
                    SocketOptions.DEFAULTS.withBuffers(4096, 0)));
            try (l) {
                JoinHandle<TcpStream> silentPeer = blocked == Blocked.ACCEPT ? null : rt.spawn(() -> l.accept());
                CountDownLatch blocking = new CountDownLatch(1);
                AtomicReference<Exception> thrown = new AtomicReference<>();
                JoinHandle<Object> task = rt.spawn(() -> {
                    try {
                        switch (blocked) {
                            case READ -> {
                                try (TcpStream c = TcpStream.connect(l.localAddress(), CONNECT)) {
                                    blocking.countDown();
                                    return c.read(ByteBuffer.allocate(64)); // the peer sends nothing
                                }
                            }
                            case WRITE -> {
                                try (TcpStream c = TcpStream.connect(l.localAddress(), CONNECT,
                                        SocketOptions.DEFAULTS.withBuffers(0, 4096))) {
                                    ByteBuffer chunk = ByteBuffer.allocateDirect(64 * 1024);
                                    blocking.countDown(); // tiny buffers: the first 64 KiB already fills them
                                    for (;;) {
                                        c.writeAll(chunk.clear());
                                    }
                                }
                            }
                            default -> {
                                blocking.countDown();
                                return l.accept();
                            }
                        }
                    } catch (Exception e) {
                        thrown.set(e);
                        throw e;
                    }
                });
                assertTrue(blocking.await(20, TimeUnit.SECONDS));
                Thread.sleep(50); // likely (not necessarily) lets the call start waiting; either way it must end
                assertTrue(task.cancel());
                assertCancelled(task);
                assertInstanceOf(InterruptedIOException.class, thrown.get(), "the call threw " + thrown.get());
                assertFalse(task.cancel(), "a second cancel does nothing");
                assertServes(rt, echoAddr);
                assertServes(rt, echoAddr);
                if (silentPeer != null) {
                    join(silentPeer).close();
                } else {
                    // the listener still works after a cancelled accept: the next connection is accepted
                    assertFalse(l.isClosed());
                    JoinHandle<TcpStream> next = rt.spawn(() -> l.accept(Duration.ofSeconds(15)));
                    String got = call(rt, () -> {
                        try (TcpStream c = TcpStream.connect(l.localAddress(), CONNECT)) {
                            c.writeAll(ByteBuffer.wrap(new byte[] {'o', 'k'}));
                            ByteBuffer b = ByteBuffer.allocate(2);
                            try (TcpStream s = join(next)) {
                                s.readFully(b);
                            }
                            return new String(b.array());
                        }
                    });
                    assertEquals("ok", got);
                }
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = IoMode.class, names = {"URING", "NIO"})
    @Timeout(30)
    void closingTheListenerEndsAWaitingAccept(IoMode mode) throws Exception {
        rt = NetTesting.start(mode);
        TcpListener l = call(rt, () -> TcpListener.bind(LOOPBACK_ANY_PORT, 4));
        CountDownLatch accepting = new CountDownLatch(1);
        JoinHandle<Throwable> acceptor = rt.spawn(() -> {
            accepting.countDown();
            try (TcpStream s = l.accept()) {
                return new AssertionError("accepted " + s + " from a closed listener");
            } catch (Throwable t) {
                return t;
            }
        });
        assertTrue(accepting.await(20, TimeUnit.SECONDS));
        Thread.sleep(50); // likely (not necessarily) lets the accept start waiting; either way it must end
        l.close(); // from a plain thread
        Throwable t = join(acceptor);
        NetException e = assertInstanceOf(NetException.class, t, "accept ended with " + t);
        assertTrue(e.getMessage().contains("closed"), e.getMessage());
        assertTrue(l.isClosed());
        try (EchoServer server = EchoServer.start(rt)) {
            assertServes(rt, server.address());
        }
    }

    /** Closing a stream while another task waits in read on it ends the read: end of stream or a ClosedChannelException. */
    @ParameterizedTest(name = "{0}")
    @EnumSource(value = IoMode.class, names = {"URING", "NIO"})
    @Timeout(30)
    void closingAStreamEndsAWaitingRead(IoMode mode) throws Exception {
        rt = NetTesting.start(mode);
        try (EchoServer server = EchoServer.start(rt)) {
            InetSocketAddress addr = server.address();
            TcpStream c = call(rt, () -> TcpStream.connect(addr, CONNECT));
            CountDownLatch reading = new CountDownLatch(1);
            JoinHandle<Object> reader = rt.spawn(() -> {
                reading.countDown();
                try {
                    return c.read(ByteBuffer.allocateDirect(64));
                } catch (Throwable t) {
                    return t;
                }
            });
            assertTrue(reading.await(20, TimeUnit.SECONDS));
            Thread.sleep(50); // likely (not necessarily) lets the read start waiting; either way it must end
            c.close();
            Object r = join(reader);
            // as a channel's read does: AsynchronousCloseException when it was waiting, else
            // ClosedChannelException (the close came first) or end of stream
            assertTrue(Integer.valueOf(-1).equals(r) || r instanceof java.nio.channels.ClosedChannelException,
                    "the read ended with " + r);
            if (r instanceof java.nio.channels.ClosedChannelException e) {
                assertTrue(e.getMessage().contains("closed"), e.getMessage());
            }
            assertServes(rt, addr);
        }
    }
}
