package dev.weft.net;

import dev.weft.runtime.IoMode;
import dev.weft.runtime.Weft;
import dev.weft.task.JoinHandle;
import dev.weft.task.Task;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.lang.foreign.Arena;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static dev.weft.net.NetTesting.CONNECT;
import static dev.weft.net.NetTesting.LOOPBACK_ANY_PORT;
import static dev.weft.net.NetTesting.addressOf;
import static dev.weft.net.NetTesting.ascii;
import static dev.weft.net.NetTesting.jdkListener;
import static dev.weft.net.NetTesting.call;
import static dev.weft.net.NetTesting.join;
import static dev.weft.net.NetTesting.run;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** Every failure comes out as the right exception type, with a message that names it. */
class TcpErrorsTest {

    private Weft rt;

    @AfterEach
    void stop() throws InterruptedException {
        NetTesting.stop(rt);
    }

    /** A loopback port that nothing listens on (bound once, then released). */
    private static InetSocketAddress unusedPort() throws Exception {
        try (ServerSocket s = jdkListener()) {
            return addressOf(s);
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = IoMode.class, names = {"URING", "NIO"})
    @Timeout(30)
    void connectToAPortNobodyListensOnIsRefused(IoMode mode) throws Exception {
        rt = NetTesting.start(mode);
        InetSocketAddress nobody = unusedPort();
        ConnectionRefusedException e = call(rt, () ->
                assertThrows(ConnectionRefusedException.class, () -> TcpStream.connect(nobody, CONNECT)));
        assertTrue(e.getMessage().contains("ECONNREFUSED"), e.getMessage());
        assertTrue(e.getMessage().contains(String.valueOf(nobody.getPort())), "names the target: " + e.getMessage());
        assertEquals(111, e.errno());
    }

    /** The peer closes with SO_LINGER 0 (an RST): the read fails with ECONNRESET, not EOF. */
    @ParameterizedTest(name = "{0}")
    @EnumSource(value = IoMode.class, names = {"URING", "NIO"})
    @Timeout(30)
    void peerResetFailsTheRead(IoMode mode) throws Exception {
        rt = NetTesting.start(mode);
        try (ServerSocket peer = jdkListener()) {
            CountDownLatch connected = new CountDownLatch(1);
            CountDownLatch reset = new CountDownLatch(1);
            JoinHandle<ConnectionResetException> client = rt.spawn(() -> {
                try (TcpStream c = TcpStream.connect(addressOf(peer), CONNECT)) {
                    connected.countDown();
                    assertTrue(reset.await(15, TimeUnit.SECONDS));
                    return assertThrows(ConnectionResetException.class, () -> c.read(ByteBuffer.allocate(16)));
                }
            });
            try (Socket s = peer.accept()) {
                // wait until connect returned: on NIO a reset before finishConnect fails the connect itself
                assertTrue(connected.await(15, TimeUnit.SECONDS));
                s.setSoLinger(true, 0);
            }
            reset.countDown();
            ConnectionResetException e = join(client);
            assertTrue(e.getMessage().contains("ECONNRESET"), e.getMessage());
            assertEquals(104, e.errno());
        }
    }

    /** The same while the read is already waiting: the RST ends the pending read. */
    @ParameterizedTest(name = "{0}")
    @EnumSource(value = IoMode.class, names = {"URING", "NIO"})
    @Timeout(30)
    void peerResetFailsAPendingRead(IoMode mode) throws Exception {
        rt = NetTesting.start(mode);
        try (ServerSocket peer = jdkListener()) {
            CountDownLatch connected = new CountDownLatch(1);
            JoinHandle<ConnectionResetException> client = rt.spawn(() -> {
                try (TcpStream c = TcpStream.connect(addressOf(peer), CONNECT)) {
                    connected.countDown();
                    ByteBuffer b = ByteBuffer.allocateDirect(16);
                    assertEquals(1, c.read(b), "the peer's byte");
                    return assertThrows(ConnectionResetException.class, () -> c.read(b));
                }
            });
            try (Socket s = peer.accept()) {
                assertTrue(connected.await(15, TimeUnit.SECONDS));
                s.getOutputStream().write('x');
                Thread.sleep(50); // likely (not necessarily) lets the second read start waiting
                s.setSoLinger(true, 0);
            }
            ConnectionResetException e = join(client);
            assertTrue(e.getMessage().contains("ECONNRESET"), e.getMessage());
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = IoMode.class, names = {"URING", "NIO"})
    @Timeout(30)
    void writingAfterThePeerClosedFails(IoMode mode) throws Exception {
        rt = NetTesting.start(mode);
        try (ServerSocket peer = jdkListener()) {
            CountDownLatch closed = new CountDownLatch(1);
            JoinHandle<NetException> client = rt.spawn(() -> {
                try (TcpStream c = TcpStream.connect(addressOf(peer), CONNECT)) {
                    assertTrue(closed.await(15, TimeUnit.SECONDS));
                    for (int i = 0; i < 500; i++) {
                        try {
                            c.writeAll(ByteBuffer.allocate(1024));
                        } catch (NetException e) {
                            return e;
                        }
                        Task.sleep(Duration.ofMillis(5));
                    }
                    return fail("500 writes to a closed peer all succeeded");
                }
            });
            peer.accept().close();
            closed.countDown();
            NetException e = join(client);
            assertTrue(e instanceof BrokenPipeException || e instanceof ConnectionResetException,
                    "broken pipe or reset, was " + e);
            assertTrue(e.getMessage().contains("EPIPE") || e.getMessage().contains("ECONNRESET"), e.getMessage());
        }
    }

    /** After shutdownOutput this side cannot write (EPIPE) but still reads what the peer sends. */
    @ParameterizedTest(name = "{0}")
    @EnumSource(value = IoMode.class, names = {"URING", "NIO"})
    @Timeout(30)
    void writingAfterShutdownOutputIsABrokenPipe(IoMode mode) throws Exception {
        rt = NetTesting.start(mode);
        run(rt, () -> {
            try (TcpListener l = TcpListener.bind(LOOPBACK_ANY_PORT, 4)) {
                JoinHandle<TcpStream> accepted = Task.spawn(() -> l.accept());
                try (TcpStream c = TcpStream.connect(l.localAddress(), CONNECT); TcpStream s = join(accepted)) {
                    c.shutdownOutput();
                    assertEquals(-1, s.read(ByteBuffer.allocate(1)), "the peer reads end of stream");
                    NetException e = assertThrows(NetException.class, () -> c.write(ascii("x")));
                    assertInstanceOf(BrokenPipeException.class, e, e.toString());
                    assertTrue(e.getMessage().contains("EPIPE"), e.getMessage());
                    s.writeAll(ascii("still"));
                    ByteBuffer b = ByteBuffer.allocate(5);
                    c.readFully(b);
                    assertEquals("still", new String(b.array(), StandardCharsets.US_ASCII));
                }
            }
        });
    }

    /** A read-only buffer cannot be read into: the call fails, and the runtime goes on. */
    @ParameterizedTest(name = "{0}")
    @EnumSource(value = IoMode.class, names = {"URING", "NIO"})
    @Timeout(30)
    void readingIntoAReadOnlyBufferFails(IoMode mode) throws Exception {
        rt = NetTesting.start(mode);
        run(rt, () -> {
            try (TcpListener l = TcpListener.bind(LOOPBACK_ANY_PORT, 4)) {
                JoinHandle<TcpStream> accepted = Task.spawn(() -> l.accept());
                try (TcpStream c = TcpStream.connect(l.localAddress(), CONNECT); TcpStream s = join(accepted)) {
                    c.readTimeout(Duration.ofSeconds(5));
                    s.writeAll(ascii("data"));
                    for (ByteBuffer ro : new ByteBuffer[] {ByteBuffer.allocate(4).asReadOnlyBuffer(),
                            ByteBuffer.allocateDirect(4).asReadOnlyBuffer()}) {
                        RuntimeException e = assertThrows(RuntimeException.class, () -> c.read(ro),
                                "read into " + ro);
                        assertTrue(e instanceof IllegalArgumentException || e instanceof java.nio.ReadOnlyBufferException,
                                e.toString());
                    }
                    ByteBuffer b = ByteBuffer.allocateDirect(4);
                    c.readFully(b);
                    b.flip();
                    assertEquals("data", StandardCharsets.US_ASCII.decode(b).toString(), "no byte was lost");
                }
            }
        });
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = IoMode.class, names = {"URING", "NIO"})
    @Timeout(30)
    void endOfStream(IoMode mode) throws Exception {
        rt = NetTesting.start(mode);
        run(rt, () -> {
            try (TcpListener l = TcpListener.bind(LOOPBACK_ANY_PORT, 4)) {
                JoinHandle<Void> server = Task.spawn(() -> {
                    for (int i = 0; i < 2; i++) {
                        try (TcpStream s = l.accept()) {
                            s.writeAll(ascii("abc"));
                        }
                    }
                    return null;
                });
                try (TcpStream c = TcpStream.connect(l.localAddress(), CONNECT)) {
                    ByteBuffer three = ByteBuffer.allocate(3);
                    c.readFully(three);
                    assertArrayEquals("abc".getBytes(StandardCharsets.US_ASCII), three.array());
                    assertEquals(-1, c.read(ByteBuffer.allocate(8)), "read at end of stream");
                    assertEquals(-1, c.read(ByteBuffer.allocateDirect(8)), "and again, into a direct buffer");
                    try (Arena a = Arena.ofConfined()) {
                        assertEquals(-1, c.read(a.allocate(8)), "and into a segment");
                    }
                    EndOfStreamException e = assertThrows(EndOfStreamException.class,
                            () -> c.readFully(ByteBuffer.allocate(1)));
                    assertEquals(0, e.errno());
                }
                try (TcpStream c = TcpStream.connect(l.localAddress(), CONNECT)) {
                    ByteBuffer eight = ByteBuffer.allocate(8);
                    EndOfStreamException e = assertThrows(EndOfStreamException.class, () -> c.readFully(eight));
                    assertEquals(3, eight.position(), "the bytes that came stay in the buffer");
                    assertTrue(e.getMessage().contains("5 bytes still expected"), e.getMessage());
                }
                join(server);
            }
        });
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = IoMode.class, names = {"URING", "NIO"})
    @Timeout(30)
    void acceptTimesOutAndTheListenerStillWorks(IoMode mode) throws Exception {
        rt = NetTesting.start(mode);
        run(rt, () -> {
            try (TcpListener l = TcpListener.bind(LOOPBACK_ANY_PORT, 4)) {
                IoTimeoutException e = assertThrows(IoTimeoutException.class, () -> l.accept(Duration.ofMillis(50)));
                assertTrue(e.getMessage().contains("timed out"), e.getMessage());
                assertTrue(!l.isClosed());
                JoinHandle<TcpStream> client = Task.spawn(() -> TcpStream.connect(l.localAddress(), CONNECT));
                try (TcpStream s = l.accept(Duration.ofSeconds(10)); TcpStream c = join(client)) {
                    c.writeAll(ascii("hi"));
                    ByteBuffer b = ByteBuffer.allocate(2);
                    s.readFully(b);
                    assertEquals("hi", new String(b.array(), StandardCharsets.US_ASCII));
                }
            }
        });
    }

    /** A read that times out throws IoTimeoutException and loses nothing: a later read gets the data. */
    @ParameterizedTest(name = "{0}")
    @EnumSource(value = IoMode.class, names = {"URING", "NIO"})
    @Timeout(30)
    void readTimeoutThenTheStreamStillWorks(IoMode mode) throws Exception {
        rt = NetTesting.start(mode);
        run(rt, () -> {
            try (TcpListener l = TcpListener.bind(LOOPBACK_ANY_PORT, 4)) {
                JoinHandle<TcpStream> accepted = Task.spawn(() -> l.accept());
                try (TcpStream c = TcpStream.connect(l.localAddress(), CONNECT); TcpStream s = join(accepted)) {
                    assertEquals(c, c.readTimeout(Duration.ofMillis(50)));
                    // a heap buffer times out (io_uring: a provided-buffer receive), then gets the data
                    IoTimeoutException e = assertThrows(IoTimeoutException.class, () -> c.read(ByteBuffer.allocate(8)));
                    assertTrue(e.getMessage().contains("timed out"), e.getMessage());
                    assertTrue(e.errno() == 110 || e.errno() == 0, "ETIMEDOUT or none: " + e.errno());
                    s.writeAll(ascii("late"));
                    c.readTimeout(Duration.ofSeconds(10));
                    ByteBuffer b = ByteBuffer.allocate(4);
                    c.readFully(b);
                    assertEquals("late", new String(b.array(), StandardCharsets.US_ASCII));

                    c.readTimeout(Duration.ofMillis(50));
                    assertThrows(IoTimeoutException.class, () -> c.read(ByteBuffer.allocateDirect(8)));
                    try (Arena a = Arena.ofConfined()) {
                        assertThrows(IoTimeoutException.class, () -> c.read(a.allocate(8)));
                    }
                    s.writeAll(ascii("later"));
                    c.readTimeout(Duration.ofSeconds(10));
                    ByteBuffer d = ByteBuffer.allocateDirect(5);
                    c.readFully(d);
                    d.flip();
                    assertEquals("later", StandardCharsets.US_ASCII.decode(d).toString());
                }
            }
        });
    }

    /** A write that cannot make progress (the peer does not read) times out with IoTimeoutException. */
    @ParameterizedTest(name = "{0}")
    @EnumSource(value = IoMode.class, names = {"URING", "NIO"})
    @Timeout(60)
    void writeTimeout(IoMode mode) throws Exception {
        rt = NetTesting.start(mode);
        try (ServerSocket peer = new ServerSocket()) {
            peer.setReceiveBufferSize(4096);
            peer.bind(new InetSocketAddress("127.0.0.1", 0), 4);
            peer.setSoTimeout(15_000);
            JoinHandle<IoTimeoutException> client = rt.spawn(() -> {
                try (TcpStream c = TcpStream.connect(addressOf(peer), CONNECT,
                        SocketOptions.DEFAULTS.withBuffers(0, 4096))) {
                    c.writeTimeout(Duration.ofMillis(200));
                    ByteBuffer chunk = ByteBuffer.allocate(64 * 1024);
                    for (int i = 0; i < 2048; i++) {
                        try {
                            c.writeAll(chunk.clear());
                        } catch (IoTimeoutException e) {
                            return e;
                        }
                    }
                    return fail("128 MiB went to a peer that reads nothing");
                }
            });
            try (Socket s = peer.accept()) {
                IoTimeoutException e = join(client);
                assertTrue(e.getMessage().contains("timed out"), e.getMessage());
                assertNotNull(s);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = IoMode.class, names = {"URING", "NIO"})
    @Timeout(30)
    void operationsOnAClosedStreamOrListenerSayClosed(IoMode mode) throws Exception {
        rt = NetTesting.start(mode);
        run(rt, () -> {
            TcpListener l = TcpListener.bind(LOOPBACK_ANY_PORT, 4);
            JoinHandle<TcpStream> accepted = Task.spawn(() -> l.accept());
            TcpStream c = TcpStream.connect(l.localAddress(), CONNECT);
            try (TcpStream s = join(accepted)) {
                c.close();
                c.close(); // idempotent
                assertTrue(c.isClosed());
                assertFalse(c.isOpen());
                assertStreamClosed(() -> c.read(ByteBuffer.allocate(4)));
                assertStreamClosed(() -> c.read(ByteBuffer.allocateDirect(4)));
                assertStreamClosed(() -> c.readFully(ByteBuffer.allocate(4)));
                assertStreamClosed(() -> c.write(ascii("x")));
                assertStreamClosed(() -> c.writeAll(ascii("x")));
                assertStreamClosed(() -> c.write(ascii("x"), ascii("y")));
                assertStreamClosed(() -> c.writeAll(ascii("x"), ascii("y")));
                try (Arena a = Arena.ofConfined()) {
                    assertStreamClosed(() -> c.read(a.allocate(4)));
                    assertStreamClosed(() -> c.write(a.allocate(4)));
                }
                assertEquals(-1, s.read(ByteBuffer.allocate(4)), "the peer of the closed stream sees its end");
            }
            l.close();
            l.close(); // idempotent
            assertTrue(l.isClosed());
            assertTrue(l.toString().contains("closed"), l.toString());
            assertClosed(l::accept);
            assertClosed(() -> l.accept(Duration.ofSeconds(1)));
        });
    }

    /**
     * The synchronous calls on a closed stream fail too, and never touch another connection: on
     * io_uring the closed stream's descriptor number is free for the kernel to hand to the next
     * socket, here stream B.
     */
    @ParameterizedTest(name = "{0}")
    @EnumSource(value = IoMode.class, names = {"URING", "NIO"})
    @Timeout(30)
    void metadataCallsOnAClosedStreamFailAndLeaveOtherStreamsAlone(IoMode mode) throws Exception {
        rt = NetTesting.start(mode);
        run(rt, () -> {
            try (TcpListener l = TcpListener.bind(LOOPBACK_ANY_PORT, 4)) {
                JoinHandle<TcpStream> acceptedA = Task.spawn(() -> l.accept());
                TcpStream a = TcpStream.connect(l.localAddress(), CONNECT);
                try (TcpStream a2 = join(acceptedA)) {
                    a.close();
                    JoinHandle<TcpStream> acceptedB = Task.spawn(() -> l.accept());
                    try (TcpStream b = TcpStream.connect(l.localAddress(), CONNECT); TcpStream b2 = join(acceptedB)) {
                        String why = "A: " + a + ", B: " + b;
                        assertStreamClosed(a::shutdownOutput, why);
                        assertStreamClosed(() -> a.setNoDelay(false), why);
                        assertStreamClosed(a::localAddress, why);
                        assertStreamClosed(a::remoteAddress, why);
                        // B is untouched: it still sends (no shutdown hit it) and receives
                        b.writeAll(ascii("ok"));
                        ByteBuffer in = ByteBuffer.allocate(2);
                        b2.readFully(in);
                        assertEquals("ok", new String(in.array(), StandardCharsets.US_ASCII));
                        b2.writeAll(ascii("ok"));
                        b.readFully(in.clear());
                        assertEquals("ok", new String(in.array(), StandardCharsets.US_ASCII));
                        assertEquals(-1, a2.read(ByteBuffer.allocate(1)));
                    }
                }
            }
        });
    }

    @FunctionalInterface
    private interface Op {
        void run() throws Exception;
    }

    private static void assertClosed(Op op) {
        assertClosed(op, "");
    }

    /** A call on a closed listener throws a {@link NetException} saying so. */
    private static void assertClosed(Op op, String context) {
        NetException e = assertThrows(NetException.class, op::run, context);
        assertTrue(e.getMessage().contains("closed"), e.getMessage() + " " + context);
    }

    /**
     * A call on a closed stream throws {@link ClosedChannelException}, as the
     * {@link java.nio.channels.Channel} contract asks (a {@link TcpStream} is a
     * {@link java.nio.channels.ByteChannel}), with a message that says so.
     */
    private static void assertStreamClosed(Op op, String context) {
        ClosedChannelException e = assertThrows(ClosedChannelException.class, op::run, context);
        assertTrue(e.getMessage() != null && e.getMessage().contains("the stream is closed"), e + " " + context);
    }

    private static void assertStreamClosed(Op op) {
        assertStreamClosed(op, "");
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = IoMode.class, names = {"URING", "NIO"})
    @Timeout(30)
    void netCallsOutsideATaskFailNamingWeftTasks(IoMode mode) throws Exception {
        rt = NetTesting.start(mode);
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> TcpListener.bind(LOOPBACK_ANY_PORT, 4));
        assertTrue(e.getMessage().contains("weft task"), e.getMessage());
        assertTrue(e.getMessage().contains("TcpListener.bind"), e.getMessage());
        e = assertThrows(IllegalStateException.class, () -> TcpStream.connect(unusedPort(), CONNECT));
        assertTrue(e.getMessage().contains("weft task"), e.getMessage());

        // objects made in a task cannot be used from a plain thread either
        TcpListener l = call(rt, () -> TcpListener.bind(LOOPBACK_ANY_PORT, 4));
        try {
            JoinHandle<TcpStream> accepted = rt.spawn(() -> l.accept());
            TcpStream c = call(rt, () -> TcpStream.connect(l.localAddress(), CONNECT));
            try (c; TcpStream s = join(accepted)) {
                e = assertThrows(IllegalStateException.class, () -> l.accept(Duration.ofSeconds(1)));
                assertTrue(e.getMessage().contains("weft task"), e.getMessage());
                e = assertThrows(IllegalStateException.class, () -> c.read(ByteBuffer.allocate(1)));
                assertTrue(e.getMessage().contains("weft task"), e.getMessage());
                e = assertThrows(IllegalStateException.class, () -> s.write(ascii("x")));
                assertTrue(e.getMessage().contains("weft task"), e.getMessage());
                // closing and addresses work from anywhere
                assertEquals(l.localAddress(), c.remoteAddress());
            }
        } finally {
            l.close();
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = IoMode.class, names = {"URING", "NIO"})
    @Timeout(30)
    void bindingAPortInUseFailsWithEaddrinuse(IoMode mode) throws Exception {
        rt = NetTesting.start(mode);
        run(rt, () -> {
            try (TcpListener first = TcpListener.bind(LOOPBACK_ANY_PORT, 4)) {
                NetException e = assertThrows(NetException.class, () -> TcpListener.bind(first.localAddress(), 4));
                assertTrue(e.getMessage().contains("EADDRINUSE"), e.getMessage());
                assertTrue(e.getMessage().contains(String.valueOf(first.localAddress().getPort())), e.getMessage());
                assertEquals(98, e.errno());
                // SO_REUSEPORT on one side only does not share the port either
                assertThrows(NetException.class, () -> TcpListener.bind(first.localAddress(), 4,
                        SocketOptions.DEFAULTS.withReusePort(true)));
            }
            // with SO_REUSEPORT on both, two listeners share a port
            SocketOptions shared = SocketOptions.DEFAULTS.withReusePort(true);
            try (TcpListener a = TcpListener.bind(LOOPBACK_ANY_PORT, 4, shared);
                 TcpListener b = TcpListener.bind(a.localAddress(), 4, shared)) {
                assertEquals(a.localAddress(), b.localAddress());
            }
        });
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = IoMode.class, names = {"URING", "NIO"})
    @Timeout(30)
    void invalidArgumentsAreRejectedNamingTheValue(IoMode mode) throws Exception {
        rt = NetTesting.start(mode);
        run(rt, () -> {
            assertIae("0", () -> TcpListener.bind(LOOPBACK_ANY_PORT, 0));
            assertIae("-3", () -> TcpListener.bind(LOOPBACK_ANY_PORT, -3));
            assertIae("PT-1S", () -> TcpStream.connect(LOOPBACK_ANY_PORT, Duration.ofSeconds(-1)));
            assertIae("PT0S", () -> TcpStream.connect(LOOPBACK_ANY_PORT, Duration.ZERO));
            try (TcpListener l = TcpListener.bind(LOOPBACK_ANY_PORT, 4)) {
                assertIae("PT-0.5S", () -> l.accept(Duration.ofMillis(-500)));
                JoinHandle<TcpStream> accepted = Task.spawn(() -> l.accept());
                try (TcpStream c = TcpStream.connect(l.localAddress(), CONNECT); TcpStream s = join(accepted)) {
                    assertIae("PT-0.005S", () -> c.readTimeout(Duration.ofMillis(-5)));
                    c.writeTimeout(Duration.ofSeconds(5)).writeTimeout(Duration.ZERO); // zero: no limit again
                    // the stream is unharmed by the rejected settings
                    c.writeAll(ascii("z"));
                    ByteBuffer b = ByteBuffer.allocate(1);
                    s.readFully(b);
                    assertEquals('z', b.get(0));
                }
            }
        });
        assertIae("receiveBuffer=-1", () -> new SocketOptions(true, true, false, -1, 0));
        assertIae("sendBuffer=-7", () -> SocketOptions.DEFAULTS.withBuffers(0, -7));
        assertIae("receiveBuffer=-2", () -> SocketOptions.DEFAULTS.withBuffers(-2, 0));
        // 0 is allowed: the kernel's default
        assertEquals(0, SocketOptions.DEFAULTS.withBuffers(0, 0).sendBuffer());
    }

    private static void assertIae(String value, Op op) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, op::run);
        assertTrue(e.getMessage().contains(value), "names " + value + ": " + e.getMessage());
        assertInstanceOf(IllegalArgumentException.class, e);
    }
}
